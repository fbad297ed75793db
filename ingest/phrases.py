"""Word banks for the simulated demo reviewers and review texts (written for this project)."""

HANDLES = [
    "quiet", "late", "velvet", "paper", "neon", "slow", "midnight", "rainy", "grainy", "lucky",
    "sleepy", "wild", "tiny", "golden", "static", "silver", "brave", "cosmic", "dusty", "salt",
    "polar", "lunar", "crimson", "mellow", "odd", "plain", "second", "reel", "frame", "matinee",
]
HANDLE_TAILS = [
    "fox", "owl", "reels", "frames", "popcorn", "critic", "cinephile", "projector", "usher", "ticket",
    "balcony", "screen", "lens", "montage", "credits", "cut", "take", "dolly", "boom", "gaffer",
    "moth", "heron", "otter", "finch", "badger", "comet", "harbor", "lantern", "garden", "tram",
]
GIVEN = [
    "Ana", "Ben", "Chloé", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonah", "Kasia", "Leo",
    "Maya", "Nikolai", "Oona", "Priya", "Quinn", "Rosa", "Sami", "Tomás", "Uma", "Viktor", "Wen",
    "Ximena", "Yusuf", "Zoë", "Aiko", "Bruno", "Carmen", "Dara", "Emeka", "Freya", "Gabriel", "Hana",
    "Ivo", "Jude", "Kofi", "Lena", "Mateo", "Noor", "Olek", "Pilar", "Rafael", "Sofia", "Theo",
]
FAMILY = [
    "Abara", "Berg", "Castillo", "Dube", "Eriksen", "Ferreira", "Gallo", "Haddad", "Ito", "Jansen",
    "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quiroga", "Rossi", "Santos",
    "Tanaka", "Umarov", "Varga", "Weiss", "Xu", "Yilmaz", "Zapata", "Álvarez", "Brennan", "Chen",
    "Dimitriou", "Evans", "Fischer", "Grant", "Horvat", "Iyer", "Jovanović", "Kim", "Larsen", "Murphy",
]
LOW_OPENERS = [
    "Could not get into this at all.",
    "A real slog, and I wanted to like it.",
    "Two hours I will not get back.",
    "Pretty to look at and empty underneath.",
    "The premise promised far more than the film delivers.",
    "I checked my watch more than once.",
    "Everyone involved has done much better work.",
    "Not for me, despite a strong opening.",
    "It falls apart in the last act.",
    "Loud, long and oddly weightless.",
]
MID_OPENERS = [
    "Solid, if a little forgettable.",
    "Good in parts, baggy in others.",
    "A decent watch on a quiet evening.",
    "Better than I expected, not as good as I hoped.",
    "Some great scenes stitched together with some flat ones.",
    "The cast is doing a lot of heavy lifting here.",
    "Enjoyable enough while it lasts.",
    "Uneven, but the good stretches are very good.",
    "A perfectly fine film that never quite takes off.",
    "Watched it with friends and we were split down the middle.",
]
HIGH_OPENERS = [
    "An absolute knockout.",
    "This one will stay with me for a while.",
    "Every frame is doing something.",
    "I was grinning the whole way through.",
    "A masterclass in tension.",
    "Rewatched it and it somehow got better.",
    "Funny, sad and sharp all at once.",
    "The ending floored me.",
    "Exactly the kind of film I go to the cinema for.",
    "Instantly one of my favourites ★",
]
MIDDLES = [
    "The score carries whole scenes on its own.",
    "The editing in the middle stretch is superb.",
    "The lead performance is the reason to watch.",
    "The supporting cast deserved more screen time.",
    "The script has a few lines I keep quoting.",
    "The cinematography makes the city feel alive.",
    "The pacing sags around the hour mark.",
    "The dialogue is sharper than it needed to be.",
    "It wears its influences openly & proudly.",
    "Saw it on a big screen and the sound design rattled the seats.",
    "The production design is gorgeous, the story less so.",
    "It takes its time and earns it.",
]
CLOSERS = [
    "Would watch again.",
    "Recommended for a rainy Sunday.",
    "Curious what it plays like on a second viewing.",
    "Bring tissues.",
    "Do not read anything about it first.",
    "See it with an audience if you can.",
    "Worth it for the final scene alone.",
    "A film to argue about afterwards 🍿",
]
# Words of the synthetic films' titles (a demo grown beyond the real catalogue with `--films`).
TITLE_FIRST = [
    "Quiet", "Last", "Paper", "Northern", "Glass", "Second", "Silver", "Hollow", "Winter", "Borrowed",
    "Crooked", "Distant", "Burning", "Sleeping", "Little", "Open", "Salt", "Midnight", "Empty", "Golden",
    "Long", "Lost", "Narrow", "Painted", "Red", "Restless", "Small", "Summer", "Wild", "Yellow",
]
TITLE_SECOND = [
    "Harbor", "Orchard", "Lantern", "Tide", "Country", "Season", "Garden", "Station", "River", "House",
    "Letters", "Bridge", "Frontier", "Island", "Kingdom", "Machine", "Mountain", "Neighbours", "Road", "Signal",
    "Sister", "Streets", "Summit", "Tram", "Valley", "Voices", "Weather", "Wedding", "Window", "Years",
]
