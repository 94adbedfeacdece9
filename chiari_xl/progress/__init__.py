"""Monthly progress of the objectives (domain Rule 5).

areas        which areas an objective belongs to (from the card headers)
indicators   the indicator rows of the plan, their numeric targets, the completion rule
signature    the office key and the HMAC that makes a returned sheet tamper-evident
sheets       one protected workbook per area and month
collect      reading returned workbooks: accept input cells only, say why anything is refused
history      SQLite record of every accepted value
payout       achievement, soglia and the amount due (Decimal, half-up to the cent)
consolidated the office's workbook: objectives, sectors, trend, findings, final payout
"""
