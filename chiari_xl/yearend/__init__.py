"""Year end: from each objective's amount due to each person's bonus (issue 12).

staff_layout     sheets and headings of the Personale workbook, shared by writer and reader
staff_template   the Personale workbook the office fills (staff, participation, events, achievements)
staff_read       reading it back, whatever wrote it (tables found by their headings)
staff            the checked staff data (employees, attendances) and the parsing of typed values
plan_view        what the year end needs from the plan: objectives, soglie, areas
checks           the staff data as findings; the year-end findings (registry codes)
split            an objective's amount among its people (largest remainder, to the cent)
group_split      card-4-like splits by area group (quota per group, data on Parametri)
events           card 3: attendance at events paid by hour bands, within the amount due
payout           the whole payout computed: allocated, due (Rule 5), paid, savings, shares
report           the JSON report
payout_columns   where everything is in the payout workbook: each sheet's columns by key, every table's rows
payout_tables    its tables: Obiettivi, Ripartizioni, Quote, Dipendenti
payout_workbook  the payout workbook (live formulas, cached values), RISERVATO; events ledger, summary
payroll          Cedolini.csv for payroll
transparency     "Dati relativi ai premi" (art. 20 d.lgs. 33/2013): aggregate only
run              the library entry: template, payout (the CLI calls these)
"""
