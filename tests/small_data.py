"""A small hand-made dataset with the edge cases the queries must get right.

- `rewatch-film`: reviewer `ana` logs it three times (latest rating 4.5 counts, once);
- `unrated-film`: reviews but not one rating;
- `no-reviews-film`: in the catalogue, never reviewed;
- `duo-film`: two directors; `actor-director` directs `duo-film` and acts in `solo-film`;
- reviewer `one` has a single review, reviewer `mute` only unrated reviews,
  reviewer `only` is the only rater of `lonely-film`;
- `undated-film` has no release year.
"""

import datetime as dt

FILMS = [
    {"film_id": "rewatch-film", "title": "Rewatch Film", "year": 1999, "runtime_minutes": 100},
    {"film_id": "solo-film", "title": "Solo, \"The\" Film", "year": 2005},
    {"film_id": "duo-film", "title": "Duo Film", "year": 2010},
    {"film_id": "unrated-film", "title": "Unrated Film", "year": 2015},
    {"film_id": "no-reviews-film", "title": "No Reviews Film", "year": 2020},
    {"film_id": "lonely-film", "title": "Lonely Film", "year": 2012},
    {"film_id": "undated-film", "title": "Undated Film", "year": None},
]
PEOPLE = [
    {"person_id": "dir-a", "name": "Dana Director"},
    {"person_id": "dir-b", "name": "Bo Director"},
    {"person_id": "actor-director", "name": "Ari Both"},
    {"person_id": "star", "name": "Sam Star"},
    {"person_id": "extra", "name": "Eli Extra"},
    {"person_id": "twin-1", "name": "Jo Twin"},
    {"person_id": "twin-2", "name": "Jo Twin"},
]
CREDITS = [
    {"film_id": "rewatch-film", "person_id": "dir-a", "role": "director"},
    {"film_id": "solo-film", "person_id": "dir-a", "role": "director"},
    {"film_id": "duo-film", "person_id": "dir-b", "role": "director"},
    {"film_id": "duo-film", "person_id": "actor-director", "role": "director"},
    {"film_id": "unrated-film", "person_id": "dir-b", "role": "director"},
    {"film_id": "no-reviews-film", "person_id": "dir-a", "role": "director"},
    {"film_id": "lonely-film", "person_id": "dir-b", "role": "director"},
    {"film_id": "undated-film", "person_id": "dir-a", "role": "director"},
    {"film_id": "rewatch-film", "person_id": "star", "role": "actor", "billing": 1},
    {"film_id": "rewatch-film", "person_id": "extra", "role": "actor", "billing": 2},
    {"film_id": "solo-film", "person_id": "actor-director", "role": "actor", "billing": 1},
    {"film_id": "solo-film", "person_id": "star", "role": "actor", "billing": 2},
    {"film_id": "duo-film", "person_id": "star", "role": "actor", "billing": 1},
    {"film_id": "duo-film", "person_id": "twin-1", "role": "actor", "billing": 2},
    {"film_id": "lonely-film", "person_id": "twin-2", "role": "actor", "billing": 1},
    {"film_id": "unrated-film", "person_id": "extra", "role": "actor", "billing": 1},
]
REVIEWERS = [
    {"reviewer_id": "ana", "display_name": "Ana"},
    {"reviewer_id": "ben", "display_name": "Ben"},
    {"reviewer_id": "cy", "display_name": "Cy 🎬"},
    {"reviewer_id": "one", "display_name": "One Review"},
    {"reviewer_id": "mute", "display_name": "Mute"},
    {"reviewer_id": "only", "display_name": "Only Rater"},
]
D = dt.date
_REVIEWS = [
    # review_id, film, reviewer, rating, text, date, likes
    ("r01", "rewatch-film", "ana", 2.0, "First time, not for me.", D(2019, 1, 5), 3),
    ("r02", "rewatch-film", "ana", None, "Second look, no stars.", D(2020, 6, 1), 0),
    ("r03", "rewatch-film", "ana", 4.5, None, D(2021, 3, 9), 1),
    ("r04", "rewatch-film", "ben", 3.0, "Fine.", D(2019, 2, 14), 10),
    ("r05", "rewatch-film", "cy", 5.0, None, D(2021, 3, 20), 0),
    ("r06", "solo-film", "ana", 3.5, "=cmd|' /C calc'!A0", D(2020, 1, 1), 2),
    ("r07", "solo-film", "ben", 0.5, "Awful, truly.", D(2020, 1, 2), 40),
    ("r08", "solo-film", "cy", 3.5, None, D(2022, 7, 7), 0),
    ("r09", "duo-film", "ben", 4.0, "Two directors, one vision", D(2021, 12, 31), 5),
    ("r10", "duo-film", "cy", 4.0, None, D(2022, 1, 1), 0),
    ("r11", "duo-film", "one", 2.5, "My only review.", D(2022, 5, 5), 1),
    ("r12", "unrated-film", "mute", None, "Words, no stars.", D(2021, 8, 8), 7),
    ("r13", "unrated-film", "mute", None, "More words.", D(2022, 8, 8), 0),
    ("r14", "lonely-film", "only", 1.0, None, D(2023, 2, 2), 0),
    ("r15", "undated-film", "cy", 3.0, "Year unknown, still good.", D(2023, 3, 3), 4),
    ("r16", "undated-film", "ben", 4.0, None, None, 0),
]
REVIEWS = [
    {
        "review_id": r[0], "film_id": r[1], "reviewer_id": r[2], "rating": r[3], "review_text": r[4],
        "review_date": r[5], "likes": r[6], "rewatch": r[0] in ("r02", "r03"), "source": "test",
    }
    for r in _REVIEWS
]
TABLES = {"films": FILMS, "people": PEOPLE, "credits": CREDITS, "reviewers": REVIEWERS, "reviews": REVIEWS}
