"""Real figures used by the tests, with their provenance.

Registered crime: CBS/politie table 47018NED "Geregistreerde misdrijven; soort misdrijf,
regio"; inhabitants: CBS 70072ned (average population). Both as bundled in
``src/ivp/datasets/bundled/cbs-47018-gemeenten/data.json`` (see its PROVENANCE.md);
2024 and 2025 are provisional there.
"""

YEARS = [str(y) for y in range(2012, 2026)]
PROVISIONAL = {"2024": "voorlopig", "2025": "voorlopig"}


def series(values):
    return dict(zip(YEARS, values, strict=True))


# GM0597 Ridderkerk, 1.1.1 Diefstal/inbraak woning, 2012–2025.
RIDDERKERK_111 = series([168, 198, 151, 92, 138, 118, 89, 84, 60, 83, 55, 46, 30, 36])
RIDDERKERK_POP = series(
    [45269, 45292, 45201, 45123, 45252, 45598, 46015, 46215, 46430, 46885, 47288, 47599]
    + [47860, 47999]
)
# GM0597 Ridderkerk, 1.4.2 Moord, doodslag (small counts).
RIDDERKERK_142 = series([9, 7, 9, 2, 5, 9, 9, 7, 10, 5, 5, 10, 11, 4])

# GM0796 's-Hertogenbosch, 1.2.1 Diefstal uit/vanaf motorvoertuigen.
DENBOSCH_121 = series([1519, 1604, 1446, 1852, 1682, 1259, 897, 794, 711, 633, 528, 578, 433, 456])
DENBOSCH_POP = series(
    [142355, 143275, 143952, 151248, 152010, 152922, 153820, 154658, 155300, 156014]
    + [157646, 159755, 161144, 161530]
)

# GM1884 Kaag en Braassem, 1.4.5 Mishandeling (rising counts, growing population).
KAAG_145 = series([32, 33, 26, 33, 35, 38, 28, 37, 36, 48, 37, 37, 44, 46])
KAAG_POP = series(
    [25726, 25730, 25794, 25976, 26241, 26500, 26746, 27082, 27419, 27718, 28234, 28870]
    + [29242, 29316]
)
