"""General English word lists the engine relies on; nothing here names a show or character."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves
    im ive id ill youre youve theyre thats whats theres hes shes isnt arent wasnt werent dont
    doesnt didnt cant couldnt wont wouldnt shouldnt aint gonna wanna gotta lets yall ya u ur r
    lol lmao lmaooo lmfao rofl omg omgg ngl tbh btw fyi imo imho idk idc smh tho tbf fr rn pls
    plz ok okay yeah yes yep nope nah hey wow oh uh um hmm huh ah welp bruh bro dude guys kinda
    sorta like really literally actually basically totally still even ever never always already
    just wait so well anyway anyways though also get gets got getting gotten go goes going went
    gone make makes made thing things stuff way lot lots much many every everyone everything
    someone something anyone anything nobody nothing one ones two three first last next new old
    know knew think thought see saw seen say said says tell told look looks looked feel feels felt
    want wanted need needs come comes came take takes took put give gives gave keep keeps kept
    whole entire back time times day days night tonight today tomorrow week year years
    episode episodes ep eps season seasons series show shows finale premiere pilot scene scenes
    watch watching watched binge spoiler spoilers spoil character characters writers
    writing plot part end ending start starting minute minutes hour hours
    good great best better bad worse worst love loved loves hate hated cool nice fine sure
    lowkey highkey honestly seriously definitely probably maybe
    """
)

# Who a message is about and how it talks: everyday chat about the writer's own life is in
# the first person and loud ('my trainer tried to kill me today lol').
FIRST_PERSON = _words("i me my mine myself we us our ours ourselves im ive id ill")
CHATTER_CUES = _words(
    """
    lol lmao lmaooo lmfao rofl omg ngl tbh literally totally basically today tonight yesterday
    tomorrow morning again work job boss coworker coworkers office class school mom dad
    irl haha hahaha ugh
    """
)

# Words that make the event after them one that did not happen ('nearly arrested', 'doesn't
# get fired', 'never confesses'): a recap telling a near miss does not date the event.
UNREALISED = _words(
    """
    not never nearly almost narrowly barely no doesnt didnt dont isnt wasnt arent werent wont
    cant couldnt wouldnt hasnt havent hadnt fails refuses avoids escapes
    """
)

# How a critic judges the making of a scene: 'beautifully shot', 'brilliantly staged'. In a
# review's opinion sentence the word after one of these is craft, not an event.
CRAFT_ADVERBS = _words(
    """
    beautifully gorgeously brilliantly superbly wonderfully stunningly handsomely elegantly
    lovingly expertly skilfully skillfully cleverly masterfully well badly poorly nicely
    sharply tightly crisply clumsily lazily
    """
)

NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
}

# Chat's clipped forms, which no lemmatiser joins to the full word (irregular inflections are
# lemminflect's: `text.stem`).
CLIPPED = {"vid": "video", "vids": "video", "convo": "conversation", "convos": "conversation"}

_NOT = r"(?:does ?n'?t|did ?n'?t|do ?n'?t|does not|did not|wo ?n'?t|will not|never|not|isnt|is not)"

_POSSESSIVE = r"(?:his|her|their|my|your|a|the)"

# Idioms rewritten to event tokens before tokenising; (regex, token). A lookahead keeps the
# words inside an idiom ('sold ana out', 'dropping pearlman's charges') for binding.
PHRASES: tuple[tuple[str, str], ...] = (
    (
        rf"{_NOT} (?:make it|makes it|making it|survive|surviving|survives|come back|pull through)",
        "evdeath",
    ),
    (r"(?:killed|bumped|offed|taken) off|(?:takes?|took|taking) out", "evdeath"),
    (rf"(?:lose|loses|losing|lost)(?= {_POSSESSIVE} )", "evdeath"),
    (r"(?:did|does|done) it|(?:was|is) behind (?:it|everything)", "evculprit"),
    (r"(?:walks?|walked|walking) (?:free|away)", "evfree"),
    (r"(?:gets?|got|getting) (?:away with|off)", "evfree"),
    (r"(?:busts?|busted|busting|breaks?|broke|breaking)(?= (?:[a-z']+ )?out\b)", "evfree"),
    (
        r"charges? (?:are |were |get |got )?dropped|drops? the charges"
        r"|(?:drops?|dropped|dropping)(?= [a-z']+ charges)",
        "evfree",
    ),
    (
        r"(?:gets?|got|getting|given|serves?|served|serving) (?:\d+|life)(?= years?\b| in\b)",
        "evsentence",
    ),
    (r"(?:pleads?|pleaded|pleading) guilty|guilty plea", "evculprit"),
    (r"(?:sold|sells?|selling)(?= (?:[a-z']+ )?out\b)", "evbetray"),
    (r"(?:turns?|turned|turning) on", "evbetray"),
    (r"fall guy|patsy|scapegoat|frame job|(?:set|sets|setting) up", "evframe"),
    (r"in on it|paid off", "evcorrupt"),
    (
        rf"(?:{_NOT}|is ?n'?t|was ?n'?t|was not|ai ?n'?t) (?:the |a )?"
        r"(?:killer|culprit|murderer|guilty)"
        rf"|(?:is|was|were|being) innocent|{_NOT} (?:do|did) it",
        "evfree",
    ),
    (r"(?:locked|lock|locks) up|perp walk(?:ed)?|taken into custody", "evarrest"),
    (
        r"(?:end|ends|ended|ending) up together|(?:get|got|gets) together|hook(?:s|ed)? up",
        "evromance",
    ),
    (r"(?:fall|falls|fell) for", "evromance"),
    # Death, survival, culprits, arrests, betrayals and exits in everyday English.
    (rf"{_NOT} (?:coming back|comes back)", "evdeath"),
    (rf"{_NOT} (?:dead|die|died|drown|drowned)", "evalive"),
    (r"back from the dead|(?:is|was|still) alive after all", "evalive"),
    (
        r"(?:goes?|going|went|gone) out (?:like|as) an? (?:hero|legend|champ|king|queen|martyr)"
        r"|(?:bites?|bit|biting) the dust|(?:kicks?|kicked|kicking) the bucket"
        r"|six feet under|pushing up daisies|(?:pass|passes|passed|passing) away"
        r"|(?:sacrifices?|sacrificed|sacrificing) (?:himself|herself|themselves)"
        r"|no longer with us",
        "evdeath",
    ),
    (r"it (?:was|is)(?= [a-z']+ (?:all along|the whole time|this whole time))", "evculprit"),
    (
        r"behind bars|(?:hauled|carted|dragged) off|(?:gets?|got|getting) (?:nabbed|busted)",
        "evarrest",
    ),
    (
        r"(?:stabs?|stabbed|stabbing)(?= (?:[a-z']+ )?in the back)|back ?stab(?:s|bed|bing)?"
        r"|double ?cross(?:es|ed|ing)?|(?:rats?|ratted|ratting)(?= (?:[a-z']+ )?out\b)",
        "evbetray",
    ),
    (
        r"(?:gets?|got|getting) (?:the boot|the sack|the axe|canned|kicked out)"
        r"|(?:steps?|stepped|stepping) down",
        "evquit",
    ),
)

EVENT_WORDS: dict[str, tuple[str, ...]] = {}


def _events(event: str, words: str) -> None:
    for word in words.split():
        known = EVENT_WORDS.get(word, ())
        EVENT_WORDS[word] = known if event in known else (*known, event)


_events(
    "evdeath",
    "evdeath die dies died dying dead death deaths rip funeral widow widowed "
    "widower buried buries bury burial grave corpse perish perished fatal "
    "killed shot drowned drowns drown",
)
_events(
    "evdeath",
    "kill kills killed killing murder murders murdered murdering shoot shoots shot "
    "shooting stab stabs stabbed poison poisoned poisons strangled",
)
_events(
    "evculprit",
    "evculprit killer killers murderer murderers culprit responsible pushed",
)
_events(
    "evarrest",
    "evarrest arrest arrests arrested arresting cuff cuffs cuffed cuffing "
    "handcuff handcuffs handcuffed jail jailed custody detained prison imprisoned "
    "charged indicted convicted sentenced",
)
_events("evsentence", "evsentence sentenced sentencing convicted")
_events("evfree", "evfree acquitted freed exonerated released")
_events("evculprit", "confess confesses confessed confession confessing admits admitted")
_events(
    "evbetray",
    "evbetray betray betrays betrayed betrayal betraying traitor snitch "
    "snitched flips flipped flipping flip leak leaks "
    "leaked leaking mole double-cross",
)
_events(
    "evcorrupt",
    "evcorrupt corrupt corruption dirty crooked bribe bribes bribed kickback kickbacks payroll "
    "payoff payoffs payment payments",
)
_events(
    "evromance",
    "evromance kiss kisses kissed kissing dating married marries marry "
    "wedding engaged proposal proposes proposed",
)
_events("evescape", "escape escapes escaped fled flees")
_events("evframe", "evframe frame frames framed framing scapegoat scapegoated blame blamed planted")
_events("evquit", "quit quits resign resigns resigned fired sacked suspended suspension")
_events("evpregnant", "pregnant pregnancy")
_events("evalive", "alive survives survived")

ROLE_WORDS: dict[str, str] = {}


def _roles(canonical: str, words: str) -> None:
    for word in (canonical, *words.split()):
        ROLE_WORDS[word] = canonical


_roles("father", "dad daddy pa papa fathers dads")
_roles("mother", "mom mum mommy mama ma mothers moms")
_roles("son", "sons")
_roles("daughter", "daughters")
_roles("brother", "brothers")
_roles("sister", "sisters sis")
_roles("wife", "")
_roles("husband", "")
_roles("boyfriend", "bf")
_roles("girlfriend", "gf")
_roles("partner", "")
_roles("boss", "")
_roles("captain", "capt")
_roles("doctor", "doc dr medic physician examiner coroner surgeon")
_roles("lawyer", "attorney counsel")
_roles("reporter", "journalist")
_roles("mechanic", "")
_roles("guard", "security")
_roles("officer", "cop policeman policewoman")
_roles("detective", "det")
_roles("sergeant", "sarge sgt")
_roles("chief", "")
_roles("judge", "")
_roles("engineer", "")
_roles("priest", "vicar reverend")
_roles("teacher", "")
_roles("mayor", "")
_roles("minister", "")
_roles("secretary", "")
_roles("analyst", "")
_roles("landlord", "landlady")
_roles("neighbour", "neighbor")
_roles("uncle", "")
_roles("aunt", "auntie")
_roles("grandmother", "grandma gran nan granny")
_roles("grandfather", "grandpa gramps")
_roles("cousin", "")
_roles("roommate", "flatmate")
_roles("commander", "")
_roles("lieutenant", "lt")
_roles("inspector", "")
_roles("agent", "")
_roles("nurse", "")
_roles("owner", "")
_roles("manager", "")
_roles("assistant", "aide")
_roles("apprentice", "")

# Speculation cues soften a match. A guess about what will happen ("i bet", "theory:",
# "calling it now") is not knowledge; a hedge ("i think", "maybe") only weakens a claim.
GUESSES: tuple[str, ...] = (
    "i bet",
    "bet you",
    "bet ",
    "theory",
    "calling it",
    "prediction",
    "predict",
    "my guess",
    "what if",
    "my money",
    "money's on",
    "moneys on",
    "odds are",
    "i hope",
    "hoping",
    "i suspect",
    "wouldnt be surprised",
    "wouldn't be surprised",
    "i swear if",
    "who do",
    "is it possible",
    "what are the odds",
)
HEDGES: tuple[str, ...] = (
    "i think",
    "do you think",
    "do u think",
    "lowkey think",
    "i feel like",
    "i wonder",
    "wonder if",
    "i guess",
    "probably",
    "maybe",
    "might be",
    "might",
    "could be",
    "gonna be",
    "going to be",
    "is gonna",
    "surely",
)
