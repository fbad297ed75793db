"""The canonical upload the browser tests send on the Data page: one new film and two reviews of it,
one of them rated, as CSV text."""

NEW_FILMS = "film_id,title,year\nupload-film,Uploaded Film,2021\n"
NEW_REVIEWS = ("review_id,film_id,reviewer_id,rating,review_date,review_text\n"
               "u1,upload-film,ana,4.5,2022-02-02,Seen after the upload\n"
               "u2,upload-film,cy,,2022-03-03,\n")
