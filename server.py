"""The dashboard with its own routes: `streamlit run server.py`.

`app.py` is the dashboard itself, and `streamlit run app.py` serves it too. Served from here, the
Data page sends uploads to a route of the app's own, which writes them to disk as they arrive, and
CSV downloads are sent from disk by another: Streamlit's uploader and download button hold every
file whole in the server's memory.
"""

from pathlib import Path

import streamlit as st

from ui import downloads, served, streamed_uploads

served.mount(st.get_option("server.baseUrlPath"))
app = st.App(Path(__file__).parent / "app.py", routes=[*streamed_uploads.routes(), *downloads.routes()])
