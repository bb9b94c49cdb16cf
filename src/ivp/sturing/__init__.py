"""Step 6 of the method: steering the plan while it runs (sturing in de uitvoeringsfase).

Owns the progress of measures (updates by the people who do the work, with full history),
the realisations of effect indicators (from a linked data series or entered by hand, with
revisions kept), the reporting cycle, the frozen progress reports (voortgangsrapportage,
jaarbeeld) and the agenda and decisions of the voortgangsoverleg.

May import ``plans``, ``accounts``, ``beleidsplan``, ``uitvoering``, ``veiligheidsanalyse``,
``analysis``, ``datasets`` and ``documents`` (model, writers, charts); none of those import
it (``documents.exports`` learns the two report kinds from :mod:`ivp.sturing.apps`).
"""
