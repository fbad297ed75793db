"""Data: what the database holds, and loading more (upload, preview, confirm, result)."""

import duckdb
import streamlit as st

from ingest.errors import LoadError, WriteRefused, describe_failure
from ingest.files import tree_bytes
from ingest.load import load_paths, preview_paths
from ingest.readers import FORMATS
from ui import loading, served, streamed_uploads, uploads
from ui.credits import draw_imdb_enrichment
from ui.db import database, database_location, frame
from ui.filters import active_filters, bounds
from ui.progress import progress_bar
from ui.text import MISSING, bullets

UPLOAD_TYPES = ["zip", "csv", "parquet", "html", "htm", "txt"]

active_filters()
db = database()
private = loading.private_data()

st.title("Data")
label = bounds().demo_label
where = f"your private copy of `{database_location()}`" if private else f"`{db.location}`"
st.caption(f"Database: {where}" + (f" — demo data: {label}." if label else ""))

counts = frame("table_counts")
st.dataframe(counts, placeholder=MISSING, hide_index=True, column_config={"table_name": "Table", "rows": st.column_config.NumberColumn("Rows", format="localized")})

missing = frame("films_without_credits", limit=200)
if not missing.empty:
    total = int(missing.total.iloc[0])
    with st.expander(f"{total:,} films lack a director or cast", icon=":material/warning:"):
        st.caption(
            "These films come from files without credits (a Letterboxd export, MovieLens). They are left out of "
            "director and actor views until their credits are added: from IMDb's free datasets with "
            "`python -m ingest credits IMDB_FOLDER --db FILE`, or by loading `people.csv` and `credits.csv`, or "
            "saved Letterboxd film pages."
        )
        st.dataframe(missing.drop(columns=["total"]), placeholder=MISSING, hide_index=True)
try:
    mode = loading.upload_mode()
except ValueError as wrong:
    st.error(f"{wrong}. Nothing can be loaded until the setting is fixed.")
    st.stop()
draw_imdb_enrichment(db, mode)

st.header("Load data")
if not db.writable:
    st.info(f"This data is {db.source.described}: it is read-only here. Load into a DuckDB file instead.")
    st.stop()
if mode == "off":
    st.info("Loading is turned off on this dashboard: it shows the data it was given.", icon=":material/lock:")
    st.stop()
if mode == "private":
    st.info(
        "What you load here goes into a **private copy** of this dashboard's data: you see your reviews beside "
        "everyone else's, and no one else sees them. The copy is deleted when you close or reload this tab, or after "
        f"{loading.PRIVATE_TTL_S / 60:g} minutes unused.",
        icon=":material/lock:",
    )
    if private is not None and st.button("Delete my private data", key="data_discard"):
        loading.discard_private()
        # What was loaded went with the copy: the files still chosen are previewed again (Streamlit's
        # uploader keeps them; the picker's must be chosen again).
        for key in ("data_result", "data_signature"):
            st.session_state.pop(key, None)
        st.rerun()

st.markdown(
    "Upload a **Letterboxd export** (the zip), **saved Letterboxd pages** (HTML, or the page's text copied into a "
    "`.txt` file), a **MovieLens** folder (zipped), or **canonical files** (`films`, `people`, `credits`, `reviewers`, "
    "`reviews` as CSV or Parquet). Nothing is written until you confirm; a load that fails changes nothing. "
    "Films that are in the built-in catalogue of real credits (same title and year) get its directors and cast."
)
if served.mounted():
    chosen = streamed_uploads.pick_files("data_files", UPLOAD_TYPES)
else:
    chosen = uploads.chosen_in_uploader(
        st.file_uploader("Files", type=UPLOAD_TYPES, accept_multiple_files=True, key="data_files")
    )
choice = st.selectbox("Format", ["Detect from the files", *FORMATS], key="data_format")
fmt = None if choice == "Detect from the files" else choice

uploads.sweep_unused()
if chosen is None or (chosen.save is None and chosen.refused is None):
    uploads.discard(st.session_state.pop("data_upload", None))
    for key in ("data_files_signature", "data_save_refused", "data_signature", "data_preview", "data_result"):
        st.session_state.pop(key, None)
    if chosen is not None:
        st.info("Receiving the files…", icon=":material/upload:")
    st.stop()

if st.session_state.get("data_files_signature") != chosen.signature:
    uploads.discard(st.session_state.pop("data_upload", None))
    st.session_state.pop("data_save_refused", None)
    st.session_state.data_files_signature = chosen.signature

# Files are saved once while they stay chosen: another format previews the saved files again. After
# a load they are gone: a new preview saves them again from Streamlit's uploader, while the picker's
# must be chosen again.
signature = (chosen.signature, fmt)
if st.session_state.get("data_signature") != signature:
    st.session_state.pop("data_result", None)
    if "data_upload" not in st.session_state and "data_save_refused" not in st.session_state:
        try:
            if chosen.refused is not None:
                raise chosen.refused
            st.session_state.data_upload = chosen.save()
        except LoadError as refused:
            st.session_state.data_save_refused = refused
    upload = st.session_state.get("data_upload")
    st.session_state.data_preview, st.session_state.data_refused = None, st.session_state.get("data_save_refused")
    if upload is not None:
        try:
            with db.cursor() as cur:
                st.session_state.data_preview = preview_paths(cur, upload.paths, fmt)
        except LoadError as refused:
            st.session_state.data_refused = refused
    st.session_state.data_signature = signature

preview = st.session_state.get("data_preview")
if preview is None:
    st.error("These files cannot be loaded:\n\n" + bullets(st.session_state.data_refused.problems))
    st.stop()

st.subheader("Preview")
st.markdown(f"Format: **{preview.format}**")
if preview.counts:
    st.dataframe(
        [{"table": t, "rows read": n} for t, n in preview.counts.items()],
        placeholder=MISSING,
        hide_index=True,
    )
for table, sample in preview.samples.items():
    with st.expander(f"First rows of {table}"):
        st.dataframe(sample, placeholder=MISSING, hide_index=True)
for note in preview.skipped:
    st.info(note, icon=":material/info:")
if preview.problems:
    st.error(
        "Problems found — nothing can be loaded until they are fixed:\n\n" + bullets(preview.problems)
    )
    st.stop()
if not preview.ok:
    st.warning("The files hold no rows to load.")
    st.stop()

result = st.session_state.get("data_result")
upload = st.session_state.get("data_upload")
if result is None and (upload is None or not upload.renew()):
    result = (False, ["The uploaded files were removed after being left unused; nothing was loaded. Upload them again."])
confirm = st.empty()
label = "Load into my private copy" if mode == "private" else "Load into the database"
if result is None and confirm.button(label, type="primary", key="data_confirm"):
    confirm.empty()
    _, report = progress_bar("Loading…")
    paths = st.session_state.data_upload.paths
    try:
        # Room for the new rows: twice the files' size covers staging and the written tables.
        loaded = loading.write(
            lambda con: load_paths(con, paths, fmt, progress=report), extra_bytes=2 * tree_bytes(upload.folder)
        )
    except WriteRefused as refused:
        result = (False, [f"Nothing was loaded; the data is unchanged: {refused}."])
    except LoadError as refused:
        result = (False, ["Nothing was loaded; the database is unchanged.", *map(str, refused.problems)])
    except (duckdb.Error, OSError, MemoryError) as failed:
        # The write is one transaction: a full disk or a held lock leaves the data as it was.
        result = (False, [f"Nothing was loaded; the database is unchanged: {describe_failure(failed)}."])
    else:
        result = (True, loaded.lines())
    st.session_state.data_result = result
    uploads.discard(st.session_state.pop("data_upload", None))
    # Again from the top: the sidebar, the counts and the buttons above were drawn from the data before.
    st.rerun()

if result is not None:
    ok, lines = result
    st.subheader("Result")
    (st.success if ok else st.error)(bullets(lines))
