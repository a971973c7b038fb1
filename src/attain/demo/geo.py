"""A small built-in table of real cities with their coordinates and postal-code shapes.

Postal patterns: `#` is a random digit and `@` a random capital letter; the literal part before the
first placeholder is the postal prefix that territory rules match on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class City:
    region_code: str  # the sales region: NAE, NAW, EMEA or APAC
    country: str
    state: str
    name: str
    postal: str
    latitude: float
    longitude: float
    weight: float  # relative number of accounts

    @property
    def postal_prefix(self) -> str:
        cut = min(i for i, ch in enumerate(self.postal + "#") if ch in "#@")
        return self.postal[:cut].strip()

    @property
    def currency(self) -> str:
        if self.country == "GB":
            return "GBP"
        return "EUR" if self.region_code == "EMEA" else "USD"


def _c(region: str, country: str, state: str, name: str, postal: str, lat: float, lon: float, w: float) -> City:
    return City(region, country, state, name, postal, lat, lon, w)


CITIES = [
    _c("NAE", "US", "NY", "New York", "100##", 40.7128, -74.0060, 12),
    _c("NAE", "US", "NY", "Brooklyn", "112##", 40.6782, -73.9442, 4),
    _c("NAE", "US", "MA", "Boston", "021##", 42.3601, -71.0589, 7),
    _c("NAE", "US", "MA", "Worcester", "016##", 42.2626, -71.8023, 2),
    _c("NAE", "US", "CT", "Hartford", "061##", 41.7658, -72.6734, 2),
    _c("NAE", "US", "PA", "Philadelphia", "191##", 39.9526, -75.1652, 5),
    _c("NAE", "US", "PA", "Pittsburgh", "152##", 40.4406, -79.9959, 3),
    _c("NAE", "US", "NJ", "Newark", "071##", 40.7357, -74.1724, 3),
    _c("NAE", "US", "NJ", "Princeton", "085##", 40.3573, -74.6672, 2),
    _c("NAE", "US", "DC", "Washington", "200##", 38.9072, -77.0369, 5),
    _c("NAE", "US", "MD", "Baltimore", "212##", 39.2904, -76.6122, 3),
    _c("NAE", "US", "VA", "Arlington", "222##", 38.8816, -77.0910, 3),
    _c("NAE", "US", "VA", "Richmond", "232##", 37.5407, -77.4360, 2),
    _c("NAE", "US", "NC", "Charlotte", "282##", 35.2271, -80.8431, 3),
    _c("NAE", "US", "NC", "Raleigh", "276##", 35.7796, -78.6382, 3),
    _c("NAE", "US", "GA", "Atlanta", "303##", 33.7490, -84.3880, 5),
    _c("NAE", "US", "FL", "Miami", "331##", 25.7617, -80.1918, 4),
    _c("NAE", "US", "FL", "Tampa", "336##", 27.9506, -82.4572, 2),
    _c("NAE", "US", "FL", "Orlando", "328##", 28.5383, -81.3792, 2),
    _c("NAE", "US", "IL", "Chicago", "606##", 41.8781, -87.6298, 8),
    _c("NAE", "US", "MI", "Detroit", "482##", 42.3314, -83.0458, 3),
    _c("NAE", "US", "OH", "Columbus", "432##", 39.9612, -82.9988, 3),
    _c("NAE", "US", "OH", "Cleveland", "441##", 41.4993, -81.6944, 2),
    _c("NAE", "US", "TN", "Nashville", "372##", 36.1627, -86.7816, 3),
    _c("NAE", "US", "IN", "Indianapolis", "462##", 39.7684, -86.1581, 2),
    _c("NAE", "US", "MN", "Minneapolis", "554##", 44.9778, -93.2650, 3),
    _c("NAE", "CA", "ON", "Toronto", "M5V #@#", 43.6532, -79.3832, 6),
    _c("NAE", "CA", "ON", "Ottawa", "K1P #@#", 45.4215, -75.6972, 2),
    _c("NAE", "CA", "QC", "Montreal", "H3B #@#", 45.5017, -73.5673, 3),
    _c("NAW", "US", "CA", "San Francisco", "941##", 37.7749, -122.4194, 10),
    _c("NAW", "US", "CA", "San Jose", "951##", 37.3382, -121.8863, 4),
    _c("NAW", "US", "CA", "Palo Alto", "943##", 37.4419, -122.1430, 4),
    _c("NAW", "US", "CA", "Oakland", "946##", 37.8044, -122.2712, 2),
    _c("NAW", "US", "CA", "Los Angeles", "900##", 34.0522, -118.2437, 8),
    _c("NAW", "US", "CA", "Irvine", "926##", 33.6846, -117.8265, 3),
    _c("NAW", "US", "CA", "San Diego", "921##", 32.7157, -117.1611, 4),
    _c("NAW", "US", "CA", "Sacramento", "958##", 38.5816, -121.4944, 2),
    _c("NAW", "US", "WA", "Seattle", "981##", 47.6062, -122.3321, 7),
    _c("NAW", "US", "WA", "Bellevue", "980##", 47.6101, -122.2015, 3),
    _c("NAW", "US", "OR", "Portland", "972##", 45.5152, -122.6784, 3),
    _c("NAW", "US", "CO", "Denver", "802##", 39.7392, -104.9903, 4),
    _c("NAW", "US", "CO", "Boulder", "803##", 40.0150, -105.2705, 2),
    _c("NAW", "US", "UT", "Salt Lake City", "841##", 40.7608, -111.8910, 3),
    _c("NAW", "US", "AZ", "Phoenix", "850##", 33.4484, -112.0740, 4),
    _c("NAW", "US", "NV", "Las Vegas", "891##", 36.1699, -115.1398, 2),
    _c("NAW", "US", "TX", "Austin", "787##", 30.2672, -97.7431, 5),
    _c("NAW", "US", "TX", "Dallas", "752##", 32.7767, -96.7970, 6),
    _c("NAW", "US", "TX", "Houston", "770##", 29.7604, -95.3698, 6),
    _c("NAW", "US", "TX", "San Antonio", "782##", 29.4241, -98.4936, 2),
    _c("NAW", "US", "MO", "Kansas City", "641##", 39.0997, -94.5786, 2),
    _c("NAW", "CA", "BC", "Vancouver", "V6B #@#", 49.2827, -123.1207, 4),
    _c("NAW", "CA", "AB", "Calgary", "T2P #@#", 51.0447, -114.0719, 2),
    _c("EMEA", "GB", "England", "London", "EC2A #@@", 51.5155, -0.0922, 10),
    _c("EMEA", "GB", "England", "London", "W1D #@@", 51.5136, -0.1365, 5),
    _c("EMEA", "GB", "England", "Manchester", "M1 #@@", 53.4808, -2.2426, 4),
    _c("EMEA", "GB", "England", "Birmingham", "B1 #@@", 52.4862, -1.8904, 3),
    _c("EMEA", "GB", "England", "Bristol", "BS1 #@@", 51.4545, -2.5879, 2),
    _c("EMEA", "GB", "Scotland", "Edinburgh", "EH1 #@@", 55.9533, -3.1883, 2),
    _c("EMEA", "IE", "Leinster", "Dublin", "D02 @###", 53.3498, -6.2603, 3),
    _c("EMEA", "FR", "Île-de-France", "Paris", "750##", 48.8566, 2.3522, 8),
    _c("EMEA", "FR", "Auvergne-Rhône-Alpes", "Lyon", "690##", 45.7640, 4.8357, 3),
    _c("EMEA", "DE", "Berlin", "Berlin", "101##", 52.5200, 13.4050, 5),
    _c("EMEA", "DE", "Bayern", "München", "803##", 48.1351, 11.5820, 5),
    _c("EMEA", "DE", "Hessen", "Frankfurt am Main", "603##", 50.1109, 8.6821, 4),
    _c("EMEA", "DE", "Hamburg", "Hamburg", "203##", 53.5511, 9.9937, 3),
    _c("EMEA", "NL", "Noord-Holland", "Amsterdam", "10## @@", 52.3676, 4.9041, 4),
    _c("EMEA", "NL", "Zuid-Holland", "Rotterdam", "30## @@", 51.9244, 4.4777, 2),
    _c("EMEA", "BE", "Brussels", "Brussels", "10##", 50.8503, 4.3517, 2),
    _c("EMEA", "ES", "Comunidad de Madrid", "Madrid", "280##", 40.4168, -3.7038, 4),
    _c("EMEA", "ES", "Cataluña", "Barcelona", "080##", 41.3851, 2.1734, 3),
    _c("EMEA", "IT", "Lombardia", "Milano", "201##", 45.4642, 9.1900, 4),
    _c("EMEA", "IT", "Lazio", "Roma", "001##", 41.9028, 12.4964, 2),
    _c("EMEA", "SE", "Stockholm", "Stockholm", "111 ##", 59.3293, 18.0686, 3),
    _c("EMEA", "DK", "Hovedstaden", "København", "14##", 55.6761, 12.5683, 2),
    _c("EMEA", "CH", "Zürich", "Zürich", "80##", 47.3769, 8.5417, 3),
    _c("EMEA", "AT", "Wien", "Wien", "10##", 48.2082, 16.3738, 2),
    _c("EMEA", "PL", "Mazowieckie", "Warszawa", "00-###", 52.2297, 21.0122, 2),
    _c("EMEA", "ZA", "Gauteng", "Johannesburg", "20##", -26.2041, 28.0473, 2),
    _c("APAC", "AU", "NSW", "Sydney", "20##", -33.8688, 151.2093, 8),
    _c("APAC", "AU", "VIC", "Melbourne", "30##", -37.8136, 144.9631, 6),
    _c("APAC", "AU", "QLD", "Brisbane", "40##", -27.4698, 153.0251, 3),
    _c("APAC", "AU", "WA", "Perth", "60##", -31.9505, 115.8605, 2),
    _c("APAC", "NZ", "Auckland", "Auckland", "10##", -36.8485, 174.7633, 2),
    _c("APAC", "SG", "Singapore", "Singapore", "01####", 1.2830, 103.8510, 7),
    _c("APAC", "JP", "Tokyo", "Tokyo", "100-####", 35.6762, 139.6503, 7),
    _c("APAC", "JP", "Osaka", "Osaka", "530-####", 34.6937, 135.5023, 3),
    _c("APAC", "IN", "Karnataka", "Bengaluru", "560###", 12.9716, 77.5946, 5),
    _c("APAC", "IN", "Maharashtra", "Mumbai", "400###", 19.0760, 72.8777, 4),
    _c("APAC", "KR", "Seoul", "Seoul", "04###", 37.5665, 126.9780, 3),
    _c("APAC", "MY", "Kuala Lumpur", "Kuala Lumpur", "50###", 3.1390, 101.6869, 2),
]

REGIONS = {
    "NAE": "North America East",
    "NAW": "North America West",
    "EMEA": "Europe, Middle East and Africa",
    "APAC": "Asia Pacific",
}


def cities_of(region_code: str) -> list[City]:
    return [c for c in CITIES if c.region_code == region_code]


def postal_code(city: City, rng: np.random.Generator) -> str:
    chars = []
    for ch in city.postal:
        if ch == "#":
            chars.append(str(rng.integers(10)))
        elif ch == "@":
            chars.append(chr(ord("A") + int(rng.integers(26))))
        else:
            chars.append(ch)
    return "".join(chars)
