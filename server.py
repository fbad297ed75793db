"""The dashboard with its own routes: `streamlit run server.py`.

`app.py` is the dashboard itself, and `streamlit run app.py` serves it too. Served from here, the
Data page sends uploads to a route of the app's own, which writes them to disk as they arrive,
instead of through Streamlit's uploader, which holds every uploaded file in the server's memory.
"""

from pathlib import Path

import streamlit as st

from ui import streamed_uploads

app = st.App(
    Path(__file__).parent / "app.py",
    routes=streamed_uploads.routes(st.get_option("server.baseUrlPath")),
)
