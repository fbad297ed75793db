# Film-review dashboard: Streamlit on port 8501, data in the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# A fixed UID, so a host folder mounted at /data can be given to it with chown 10001.
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid app --create-home --shell /usr/sbin/nologin app \
    && mkdir /data \
    && chown app:app /data

# The demo needs only the loader and the catalogue; building it before the app code is copied
# keeps it cached across app-only changes.
COPY ingest/ ./ingest/
COPY data/catalogue/ ./data/catalogue/

# The code stays root-owned and read-only to the app; it writes only to /data and the temp folder.
USER 10001:10001
RUN python -m ingest demo --db /data/demo.duckdb

COPY .streamlit/ ./.streamlit/
COPY queries/ ./queries/
COPY ui/ ./ui/
COPY pages/ ./pages/
COPY app.py server.py ./

ENV REVIEWS_DB=/data/demo.duckdb \
    REVIEWS_UPLOADS=private

# After the demo build: a new named volume starts as a copy of this folder, owned by the app user.
VOLUME /data
EXPOSE 8501

# The slim image has no curl; urlopen raises (a non-zero exit) unless the server answers. Under a
# path (STREAMLIT_SERVER_BASE_URL_PATH, for a reverse proxy) the endpoint moves under it too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; base = os.environ.get('STREAMLIT_SERVER_BASE_URL_PATH', '').strip('/'); urllib.request.urlopen('http://127.0.0.1:8501/' + (base + '/' if base else '') + '_stcore/health', timeout=4)"]

CMD ["streamlit", "run", "server.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
