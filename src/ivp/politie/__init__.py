"""The police unit's view over the integral safety plans of its gemeenten: per politie-
eenheid (or one base team), over the plans whose gemeenten consented to share them with the
police (``Plan.delen_met_politie``), which themes are a priority in how many gemeenten, the
indicators with their baselines and targets side by side, and the shared and diverging
choices; as a page, an Excel workbook and a PDF — input for the regional police plan and the
triangle (driehoek) of mayor, police and public prosecutor. Confidential parts never appear.

May import: ``accounts``, ``areas``, ``plans``, ``beleidsplan``, ``documents``, ``xlsx``.
"""
