"""Monthly progress of the objectives (domain Rule 5), through the whole year.

names         area names as the office writes them (accents, acronyms), keys, file names
areas         which areas an objective belongs to (from the card headers)
indicators    the indicators of a plan and who reports each one (areas, or the office's own sheet)
completion    the completion rule, once, for Python and the Excel formulas; reading "50" and "50%"
status        an objective's state: Da compilare / Sopra soglia / Sotto soglia
revisions     plan identity by content; following indicators across plan revisions
office        the office folder: the signing key and the history, kept out of git
signature     the HMAC that makes a returned sheet tamper-evident
layout        where things are in an area's sheet; tables: Excel tables and structured references
sheets        one protected workbook per reporting area and month
collect       reading returned workbooks cell by cell, saying why anything is refused
history       SQLite record of what was accepted (schema 2, migrated from 1)
payout        achievement, soglia and the amount due (Decimal, half-up to the cent)
month         the state of a month: returned and missing areas, findings, JSON
consolidated  the office's workbooks: the monthly progress report (and the year-end payout with
              payout_sheets; record_sheets: trend, history, revisions, findings; report_layout: their tables)
notices       a progress finding with its area and file
run           the library entry points (CLI and folder): sheets, collect, report, objective_results
folder        the monthly cycle by folders and double clicks
"""
