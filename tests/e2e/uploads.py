"""The canonical upload the browser tests send on the Data page: one new film and two reviews of it,
one of them rated, as CSV text, and how a test sends files on the page."""

from playwright.sync_api import expect

from tests.e2e.browser import TIMEOUT_MS, wait_for_run

NEW_FILMS = "film_id,title,year\nupload-film,Uploaded Film,2021\n"
NEW_REVIEWS = ("review_id,film_id,reviewer_id,rating,review_date,review_text\n"
               "u1,upload-film,ana,4.5,2022-02-02,Seen after the upload\n"
               "u2,upload-film,cy,,2022-03-03,\n")


def send_files(page, paths) -> None:
    """Choose `paths` in the Data page's file picker and wait until they are sent (or refused) and
    the page has run on them."""
    page.locator(".picker input[type=file]").set_input_files(paths)
    expect(page.locator(".picker .status")).to_contain_text("ent", timeout=TIMEOUT_MS)
    expect(page.locator(".picker .status")).not_to_contain_text("Sending", timeout=TIMEOUT_MS)
    wait_for_run(page)
