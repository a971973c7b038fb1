"""First and last names for the demo people, drawn without repeating a full name."""

from __future__ import annotations

import numpy as np

FIRST = ("Aisha Alex Amelia Ana Andrea Arjun Ava Ben Camila Carlos Chen Chloe Daniel David Diego Elena Emma "
         "Ethan Fatima Felix Freya Gabriel Grace Hana Hannah Hugo Ines Isaac Isabel Jack James Jin Jonas Julia "
         "Kai Kenji Laura Leo Liam Lucas Lucia Maya Mei Mia Noah Nora Olivia Omar Oscar Priya Rafael Ravi Rosa "
         "Ryan Sakura Sam Sara Sofia Tariq Theo Tom Valentina Victor Wei Yara Yusuf Zoe").split()
LAST = ("Adams Ahmed Alvarez Andersson Bauer Becker Bianchi Brown Campbell Chen Clarke Costa Dubois Evans Fischer "
        "Garcia Gonzalez Gupta Hansen Hughes Ito Jansen Johnson Kim Kowalski Kumar Larsen Lee Lopez Martin Meyer "
        "Moreau Murphy Nakamura Nguyen Novak O'Brien Okafor Patel Perez Petrov Rossi Sato Schmidt Silva Singh "
        "Smith Suzuki Tanaka Taylor Thompson Walker Wang Weber Williams Wilson Wong Yamamoto Zhang").split()


def person_names(rng: np.random.Generator, count: int) -> list[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    names = []
    while len(names) < count:
        name = (str(rng.choice(FIRST)), str(rng.choice(LAST)))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
