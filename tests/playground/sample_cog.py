"""A small extension that uses every Discord feature the playground supports."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

SHOWS = ["Ballard", "Coldwake", "The Lantern Keeper"]


class RevealView(discord.ui.View):
    """A persistent view: its buttons keep working after a restart."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Reveal", custom_id="sample:reveal", style=discord.ButtonStyle.primary)
    async def reveal(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        """Show the hidden text to the clicker only."""
        await interaction.response.send_message("It was ||the butler||.", ephemeral=True)

    @discord.ui.button(label="Count", custom_id="sample:count", style=discord.ButtonStyle.secondary)
    async def count(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        """Edit the message in place (UPDATE_MESSAGE)."""
        await interaction.response.edit_message(content=f"clicked by {interaction.user.name}")


class ReasonModal(discord.ui.Modal, title="Why is it a spoiler?"):
    """A modal with one text field."""

    reason: discord.ui.TextInput = discord.ui.TextInput(label="Reason", custom_id="sample:reason")

    def __init__(self, message: discord.Message) -> None:
        super().__init__(custom_id="sample:modal")
        self.message = message

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Thank the member and say which message it was."""
        await interaction.response.send_message(
            f"Marked message {self.message.id} as a spoiler: {self.reason.value}", ephemeral=True
        )


class Sample(commands.Cog):
    """Slash commands, views, webhooks, threads and the clock."""

    notes = app_commands.Group(name="notes", description="Keep notes")
    deep = app_commands.Group(name="deep", description="Nested commands")
    inner = app_commands.Group(name="inner", description="A subcommand group", parent=deep)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.seen: list[int] = []
        self.reminders: list[tuple[datetime, int, str]] = []
        self.hooks: dict[int, discord.Webhook] = {}
        self.notes_list: list[str] = []
        self.menu = app_commands.ContextMenu(name="Mark as spoiler", callback=self.mark)
        bot.tree.add_command(self.menu)
        bot.add_view(RevealView())

    async def cog_unload(self) -> None:
        """Remove the context menu."""
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(name="echo", description="Say something back")
    async def echo(self, interaction: discord.Interaction, text: str, times: int = 1) -> None:
        """Public reply."""
        await interaction.response.send_message(" ".join([text] * times))

    @app_commands.command(name="secret", description="Whisper")
    async def secret(self, interaction: discord.Interaction, text: str) -> None:
        """Ephemeral reply."""
        await interaction.response.send_message(f"only you: {text}", ephemeral=True)

    @app_commands.command(name="slow", description="Think first")
    async def slow(self, interaction: discord.Interaction, hidden: bool = False) -> None:
        """Deferred reply, then a followup and an edit of the original."""
        await interaction.response.defer(thinking=True, ephemeral=hidden)
        await interaction.followup.send("done thinking", ephemeral=hidden)
        await interaction.followup.send("and one more thing", ephemeral=hidden)
        await interaction.edit_original_response(content="done thinking (edited)")

    @app_commands.command(name="pick", description="Pick a show")
    async def pick(self, interaction: discord.Interaction, show: str) -> None:
        """Reply with the picked show."""
        await interaction.response.send_message(f"picked {show}")

    @pick.autocomplete("show")
    async def pick_show(
        self, _interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Shows whose name contains the typed text (fuzzy: first letters)."""
        found = [s for s in SHOWS if current.lower()[:3] in s.lower()]
        return [app_commands.Choice(name=s, value=s) for s in found]

    @app_commands.command(name="many", description="Too many autocomplete choices")
    async def many(self, interaction: discord.Interaction, item: str) -> None:
        """Reply."""
        await interaction.response.send_message(item)

    @many.autocomplete("item")
    async def many_items(
        self, _interaction: discord.Interaction, _current: str
    ) -> list[app_commands.Choice[str]]:
        """Breaks the 25-choice limit."""
        return [app_commands.Choice(name=f"item {i}", value=str(i)) for i in range(30)]

    @notes.command(name="add", description="Add a note")
    async def notes_add(self, interaction: discord.Interaction, text: str) -> None:
        """Subcommand."""
        self.notes_list.append(text)
        await interaction.response.send_message(f"noted: {text}", ephemeral=True)

    @notes.command(name="list", description="List notes")
    async def notes_show(self, interaction: discord.Interaction) -> None:
        """Subcommand with an embed."""
        embed = discord.Embed(title="Notes", description=f"{len(self.notes_list)} note(s)")
        for number, text in enumerate(self.notes_list, 1):
            embed.add_field(name=f"#{number}", value=text, inline=False)
        await interaction.response.send_message(embed=embed)

    @inner.command(name="value", description="A subcommand in a group")
    async def inner_value(
        self, interaction: discord.Interaction, amount: int, ratio: float = 1.0, flag: bool = False
    ) -> None:
        """Typed options in a group's subcommand."""
        await interaction.response.send_message(f"amount={amount} ratio={ratio} flag={flag}")

    @app_commands.command(name="whois", description="Typed user and channel options")
    async def whois(
        self, interaction: discord.Interaction, member: discord.Member, channel: discord.TextChannel
    ) -> None:
        """Reply naming the resolved member and channel."""
        await interaction.response.send_message(f"{member.name} in #{channel.name}")

    @app_commands.command(name="upload", description="Read an attachment")
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Download the attachment from the playground and answer with a file."""
        data = await file.read()
        await interaction.response.defer()
        await interaction.followup.send(
            f"{file.filename}: {len(data)} bytes",
            file=discord.File(io.BytesIO(data[::-1]), "reversed.txt"),
        )

    @app_commands.command(name="reveal", description="Post a message with buttons")
    async def reveal(self, interaction: discord.Interaction) -> None:
        """A message carrying the persistent view."""
        await interaction.response.send_message("Something happened in S01E05.", view=RevealView())

    @app_commands.command(name="discuss", description="Open a discussion thread")
    async def discuss(
        self,
        interaction: discord.Interaction,
        title: str,
        member: discord.Member,
        private: bool = False,
    ) -> None:
        """Create a thread and add a member to it."""
        assert isinstance(interaction.channel, discord.TextChannel)
        kind = discord.ChannelType.private_thread if private else discord.ChannelType.public_thread
        thread = await interaction.channel.create_thread(name=title, type=kind)
        await thread.add_user(member)
        await thread.send(f"Welcome {member.name}")
        await interaction.response.send_message(f"opened {thread.name}", ephemeral=True)

    @app_commands.command(name="purge", description="Delete recent messages")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def purge(self, interaction: discord.Interaction, count: int = 2) -> None:
        """Permission-checked bulk delete."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        assert isinstance(interaction.channel, discord.TextChannel)
        deleted = await interaction.channel.purge(limit=count, bulk=True)
        await interaction.followup.send(f"deleted {len(deleted)}", ephemeral=True)

    @app_commands.command(name="setup", description="Admins only")
    @app_commands.default_permissions(manage_guild=True)
    async def setup(self, interaction: discord.Interaction) -> None:
        """Hidden from members without Manage Server."""
        await interaction.response.send_message("configured", ephemeral=True)

    @app_commands.command(name="toolong", description="Break the content limit")
    async def toolong(self, interaction: discord.Interaction) -> None:
        """Discord refuses 2001 characters."""
        await interaction.response.send_message("x" * 2001)

    @app_commands.command(name="remind", description="Remind later")
    async def remind(self, interaction: discord.Interaction, minutes: int, text: str) -> None:
        """Schedule on the bot's clock."""
        due = self.bot.clock.now() + timedelta(minutes=minutes)  # type: ignore[attr-defined]
        assert interaction.channel is not None
        self.reminders.append((due, interaction.channel.id, text))
        await interaction.response.send_message(f"will remind in {minutes}m", ephemeral=True)

    async def mark(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Message context menu: ask why in a modal."""
        await interaction.response.send_modal(ReasonModal(message))

    @commands.Cog.listener()
    async def on_clock_advanced(self, now: datetime) -> None:
        """Post reminders that fell due, oldest first."""
        due = sorted(r for r in self.reminders if r[0] <= now)
        self.reminders = [r for r in self.reminders if r[0] > now]
        for _when, channel_id, text in due:
            channel = self.bot.get_channel(channel_id)
            assert isinstance(channel, discord.abc.Messageable)
            await channel.send(f"reminder: {text}")

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Count messages; repost `spoiler:` messages through a webhook, hidden."""
        if message.author.bot or message.webhook_id:
            return
        self.seen.append(message.id)
        if not message.content.startswith("spoiler:") or not isinstance(
            message.channel, discord.TextChannel
        ):
            return
        hook = await self._hook(message.channel)
        text = message.content.removeprefix("spoiler:").strip()
        await hook.send(
            f"||{text}||",
            username=message.author.display_name,
            avatar_url="https://example.com/a.png",
            allowed_mentions=discord.AllowedMentions.none(),
            wait=True,
        )
        await message.delete()

    async def _hook(self, channel: discord.TextChannel) -> discord.Webhook:
        if channel.id not in self.hooks:
            existing = [h for h in await channel.webhooks() if h.name == "sample-hook"]
            self.hooks[channel.id] = (
                existing[0] if existing else await channel.create_webhook(name="sample-hook")
            )
        return self.hooks[channel.id]


async def setup(bot: commands.Bot) -> None:
    """Load the cog."""
    await bot.add_cog(Sample(bot))
