"""End-to-end tests: the app served by `streamlit run`, driven in a real Chromium."""
