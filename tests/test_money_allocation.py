"""Splitting a pool to the cent, and money as people read it (allocation.py, money.py, text.py).

Each test states a rule the finance office would check by hand; the expected figures are worked
out in the comments, not taken from the code under test.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from chiari_xl.model.allocation import allocate, amount_if, lr_parts
from chiari_xl.model.money import (as_decimal, cents_half_up, euro, euro4, round_cents, to_euro, to_float,
                                   total)
from chiari_xl.model.params import Rounding
from chiari_xl.text import clean, coeff, content_words, join_and, norm, num, plural, squash

D = Decimal
LR = Rounding.LARGEST_REMAINDER


def pts(*values):
    return [None if v is None else D(str(v)) for v in values]


# --- half-up split ---------------------------------------------------------------------------

def test_half_up_each_amount_is_its_share_rounded_half_up():
    # 1.000 € over 20/30/50/7 points (107): 186,9158 · 280,3738 · 467,2897 · 65,4206
    assert allocate(Fraction(1000), pts(20, 30, 50, 7)) == [D("186.92"), D("280.37"), D("467.29"), D("65.42")]


def test_half_up_half_a_cent_goes_up_so_the_amounts_can_exceed_the_pool():
    # 0,01 € over two equal objectives: 0,005 each, both rounded up to 0,01 (a residual of -0,01)
    assert allocate(Fraction(1, 100), pts(1, 1)) == [D("0.01"), D("0.01")]


def test_half_up_is_the_default_rule():
    assert allocate(Fraction(1, 100), pts(1, 1)) == allocate(Fraction(1, 100), pts(1, 1), Rounding.HALF_UP)


def test_objective_without_points_takes_no_part_in_the_split():
    # 100 € over 10 and 30 points; the row without points neither gets money nor dilutes the others
    assert allocate(Fraction(100), pts(10, None, 30)) == [D("25.00"), None, D("75.00")]


def test_points_below_one_split_the_pool_as_any_others():
    assert allocate(Fraction(100), pts("0.25", "0.75")) == [D("25.00"), D("75.00")]
    assert allocate(Fraction(100), pts("0.5", "0.5"), LR) == [D("50.00"), D("50.00")]


def test_objective_with_zero_points_gets_zero_euro():
    assert allocate(Fraction(100), pts(0, 40)) == [D("0.00"), D("100.00")]


@pytest.mark.parametrize("rounding", list(Rounding))
def test_pool_whose_points_are_all_zero_is_not_split(rounding):
    # nothing to be proportional to: no amount rather than a division by zero
    assert allocate(Fraction(100), pts(0, 0), rounding) == [None, None]
    assert allocate(Fraction(100), pts(None, None), rounding) == [None, None]
    assert allocate(Fraction(100), [], rounding) == []


def test_unknown_rounding_rule_is_refused():
    with pytest.raises(ValueError, match="unknown rounding rule 'a caso'"):
        allocate(Fraction(100), pts(1, 2), "a caso")


# --- largest remainder -----------------------------------------------------------------------

def test_largest_remainder_gives_the_missing_cents_to_the_largest_remainders():
    # cut to the cent: 186,91 · 280,37 · 467,28 · 65,42 = 999,98; remainders ,58 ,38 ,97 ,06 cents:
    # the 2 missing cents go to 467,28 (,97) and 186,91 (,58), not to the largest amounts
    amounts = allocate(Fraction(1000), pts(20, 30, 50, 7), LR)
    assert amounts == [D("186.92"), D("280.37"), D("467.29"), D("65.42")]
    assert sum(amounts) == D("1000.00")


def test_largest_remainder_amounts_add_up_to_the_pool_exactly():
    # 100 € over 3 equal objectives: 33,33 ×3 = 99,99, the cent goes to the first (ties: earlier row)
    assert allocate(Fraction(100), pts(1, 1, 1), LR) == [D("33.34"), D("33.33"), D("33.33")]


def test_largest_remainder_ties_go_to_the_earlier_row_and_a_larger_remainder_wins_whatever_its_row():
    # 0,10 € over 1/1/1/2 points: exact 0,02 · 0,02 · 0,02 · 0,04 -> no cent missing
    assert allocate(Fraction(1, 10), pts(1, 1, 1, 2), LR) == [D("0.02"), D("0.02"), D("0.02"), D("0.04")]
    # 0,05 € over 2/1/1 points: exact 0,025 · 0,0125 · 0,0125 -> cut 0,02 · 0,01 · 0,01, 1 cent
    # missing; remainders 0,5 · 0,25 · 0,25 cents: the first row (largest remainder) takes it
    assert allocate(Fraction(5, 100), pts(2, 1, 1), LR) == [D("0.03"), D("0.01"), D("0.01")]
    # the same objectives listed the other way round: still the 2-point objective
    assert allocate(Fraction(5, 100), pts(1, 1, 2), LR) == [D("0.01"), D("0.01"), D("0.03")]
    # 0,02 € over 1/1/1: 0,0066 each, cut to 0; 2 cents missing, equal remainders: rows 1 and 2
    assert allocate(Fraction(2, 100), pts(1, 1, 1), LR) == [D("0.01"), D("0.01"), D("0.00")]


def test_largest_remainder_pool_of_a_fraction_of_a_cent_is_rounded_half_up_first():
    # a pool of 1,005 € (as a sector pool can be) pays 1,01 € in all
    assert sum(allocate(Fraction(1005, 1000), pts(1, 1, 1), LR)) == D("1.01")
    assert sum(allocate(Fraction(1004, 1000), pts(1, 1, 1), LR)) == D("1.00")


def test_largest_remainder_row_without_points_is_skipped_and_gets_no_cent():
    # 100 € over 1/–/1/1: the cent missing from 33,33 ×3 goes to the first objective with points
    assert allocate(Fraction(100), pts(1, None, 1, 1), LR) == [D("33.34"), None, D("33.33"), D("33.33")]
    assert allocate(Fraction(100), pts(None, 1, 1, 1), LR) == [None, D("33.34"), D("33.33"), D("33.33")]


def test_largest_remainder_parts_are_the_cut_cents_and_the_remainder():
    # 12,3456 € -> 1234 cents cut, 0,56 of a cent left
    assert lr_parts([Fraction(123456, 10000), None]) == ([1234, None], [Fraction(56, 100), None])


def test_largest_remainder_share_is_first_rounded_to_a_millionth_as_the_spreadsheet_does():
    # 0,0099996 € is 0,010000 to six decimals: a whole cent, nothing left over
    assert lr_parts([Fraction(99996, 10**7)]) == ([1], [Fraction(0)])
    # 0,0099994 € is 0,009999: no cent yet, 0,9999 of a cent left over
    assert lr_parts([Fraction(99994, 10**7)]) == ([0], [Fraction(9999, 10000)])


# --- euro effect of one correction -------------------------------------------------------------

def test_amount_if_one_objective_changes_its_points():
    # 1.000 € over 100 points; an objective going from 20 to 30 points: 1.000 × 30 / 110 = 272,73
    assert amount_if(Fraction(1000), Fraction(100), D(20), D(30)) == D("272.73")
    # an objective joining the pool with 30 points: 1.000 × 30 / 130 = 230,77
    assert amount_if(Fraction(1000), Fraction(100), None, D(30)) == D("230.77")
    # half a cent goes up: 1 × 1 / (199 + 1) = 0,005 -> 0,01
    assert amount_if(Fraction(1), Fraction(199), None, D(1)) == D("0.01")


def test_amount_if_with_less_than_one_point_in_the_pool():
    # 100 € over 0,5 points, one objective going from 0,25 to 0,5: 100 × 0,5 / 0,75 = 66,67
    assert amount_if(Fraction(100), Fraction(1, 2), D("0.25"), D("0.5")) == D("66.67")


def test_amount_if_with_no_points_left_in_the_pool_has_no_amount():
    # the only objective of its pool going to 0 points: the pool cannot be split at all
    assert amount_if(Fraction(1000), Fraction(20), D(20), D(0)) is None
    assert amount_if(Fraction(1000), Fraction(0), None, D(0)) is None


# --- rounding and exact amounts (money.py) ---------------------------------------------------

def test_cents_half_up_rounds_half_a_cent_away_from_zero():
    assert cents_half_up(Fraction(5, 1000)) == 1
    assert cents_half_up(Fraction(4999, 1000000)) == 0
    assert cents_half_up(Fraction(-5, 1000)) == -1
    assert cents_half_up(Fraction(-4999, 1000000)) == 0
    assert cents_half_up(Fraction(-15, 1000)) == -2
    assert cents_half_up(Fraction(0)) == 0


def test_to_euro_is_cents_as_euro_with_two_decimals():
    assert str(to_euro(413793)) == "4137.93"
    assert str(to_euro(-5)) == "-0.05"


def test_round_cents_half_up_for_every_kind_of_number():
    assert round_cents(D("2.345")) == D("2.35") and round_cents(D("2.3449")) == D("2.34")
    assert round_cents(D("-2.345")) == D("-2.35")
    assert round_cents(Fraction(2345, 1000)) == D("2.35")
    assert str(round_cents(3)) == "3.00" and str(round_cents(Fraction(1, 3))) == "0.33"


def test_as_decimal_is_exact_to_28_digits_and_rounds_half_up_when_asked():
    assert as_decimal(Fraction(1, 4)) == D("0.25")
    assert as_decimal(Fraction(1, 3)) == D("0." + "3" * 28)
    assert as_decimal(Fraction(2, 3), 4) == D("0.6667")
    assert str(as_decimal(D("0.00005"), 4)) == "0.0001"  # half-up, not half-even
    assert str(as_decimal(D("2.5"), 0)) == "3"
    assert str(as_decimal(7)) == "7"


def test_to_float_is_the_cached_value_a_spreadsheet_shows():
    assert to_float(Fraction(1, 4)) == 0.25
    assert to_float(Fraction(1, 3)) == 1 / 3
    assert to_float(D("4137.93")) == 4137.93


def test_total_skips_missing_amounts():
    assert total([D("1.10"), None, D("2.20")]) == D("3.30")
    assert total([]) == 0 and isinstance(total([]), Decimal) and isinstance(total([None]), Decimal)


# --- euros and numbers as Italian text -------------------------------------------------------

def test_euro_text_is_italian_with_two_decimals():
    assert euro(D("4137.93")) == "4.137,93 €"
    assert euro(1000000) == "1.000.000,00 €"
    assert euro(D("-3.5")) == "-3,50 €"
    assert euro(D("0.005")) == "0,01 €"  # half-up to the cent
    assert euro(Fraction(1, 3)) == "0,33 €"
    assert euro(None) == ""


def test_euro4_shows_the_fraction_of_a_cent_a_residual_is_made_of():
    assert euro4(D("0.0034")) == "0,0034 €"
    assert euro4(D("18202.39")) == "18.202,39 €"
    assert euro4(Fraction(1, 3)) == "0,3333 €"
    assert euro4(D("0.00005")) == "0,0001 €"
    assert euro4(D("18202.4034")) == "18.202,4034 €"
    assert euro4(None) == ""


def test_numbers_and_coefficients_as_the_plan_prints_them():
    assert num(D("1.50")) == "1,5"
    assert num(D("37.5")) == "37,5"
    assert num(D("1E+1")) == "10"
    assert num(D("10.00")) == "10"
    assert num(1000) == "1.000"
    assert num(0.5) == "0,5"
    assert num(None) == ""
    assert coeff(D("0.5")) == "0,50"
    assert coeff(3) == "3,00"
    assert coeff(D("2.5")) == "2,50"
    assert coeff(None) == ""


def test_plural_says_one_or_many():
    assert plural(1, "errore", "errori") == "1 errore"
    assert plural(2, "errore", "errori") == "2 errori"
    assert plural(0, "errore", "errori") == "0 errori"


def test_lists_read_as_italian_prose():
    # "si corregge l'obiettivo 4, 7 e 12": commas, then "e" before the last item; numbers as text
    assert join_and([4, 7, 12]) == "4, 7 e 12"
    assert join_and(["Territorio", "Sicurezza"]) == "Territorio e Sicurezza"
    assert join_and([3]) == "3"
    assert join_and([]) == ""
    assert join_and(x for x in ("a", "b", "c", "d")) == "a, b, c e d"


def test_labels_match_whatever_the_case_accents_spaces_and_punctuation():
    assert norm("  COEFF. Multiplic.\nDIP. ") == "coeff multiplic dip"
    assert norm("Strategicità") == "strategicita"
    assert norm(None) == "" and norm(12) == "12"
    assert squash("Amm.-Fin. ") == "ammfin"
    assert squash(None) == ""
    assert clean("  n.1 resp.\n  Area\tEQ ") == "n.1 resp. Area EQ"
    assert clean(None) == "" and clean(3) == "3"


def test_content_words_leave_out_short_words_numbers_and_stopwords():
    assert content_words("Riordino e censimento degli impianti pubblicitari 2025, fase 1") == {
        "riordino", "censimento", "impianti", "pubblicitari"}
    assert content_words("Già è un'altra attività") == {"gia", "altra", "attivita"}
    assert content_words(None) == set()
