# Cliffhanger: one image for every shard process (and the one-off migration).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 cliffhanger
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY db ./db
COPY playground ./playground
RUN pip install . && mkdir -p /app/data && chown cliffhanger /app/data

USER cliffhanger
VOLUME ["/app/data"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
