# Kawan Migran in a container: the database on a volume, the bot as an unprivileged user.
#   docker build -t kawan-migran .
#   docker run -d --name kawan -e TELEGRAM_BOT_TOKEN=... -e KAWAN_ADMINS=... -v kawan-data:/data kawan-migran
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KAWAN_DB=/data/kawan.sqlite3 \
    KAWAN_KNOWLEDGE=/app/knowledge KAWAN_INTENTS=/app/intents

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY intents ./intents
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin kawan \
    && mkdir -p /data && chown kawan:kawan /data && chmod 700 /data

USER kawan
VOLUME ["/data"]
# Webhook mode only (KAWAN_WEBHOOK_URL set): Telegram posts here and /healthz answers the health check.
EXPOSE 8443
HEALTHCHECK --interval=60s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('KAWAN_WEBHOOK_PORT', '8443'); sys.exit(0) if not os.environ.get('KAWAN_WEBHOOK_URL') else urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]
CMD ["kawan", "run"]
