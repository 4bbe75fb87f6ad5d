# The bot in a small image: Python's slim Debian base (pinned), the runtime dependencies at
# the versions of requirements.lock with the PostgreSQL driver, run as a user without rights.
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY knowledge ./knowledge
COPY storage ./storage
RUN pip install -c requirements.lock ".[postgres]" \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /app/data && chown bot /app/data
USER bot
# Webhook mode listens here (WEBHOOK_LISTEN); polling needs no port.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)" || [ -z "$TELEGRAM_WEBHOOK_URL" ]
CMD ["python", "-m", "bot"]
