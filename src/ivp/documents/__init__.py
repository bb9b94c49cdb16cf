"""Documents: the exports of each step (startnotitie, analysis report, IVP, uitvoeringsplan,
progress reports) as DOCX, PDF, HTML and XLSX.

May import every domain package; nothing imports it but the doors (web, CLI, API).
"""
