"""Findings: what is wrong (or worth knowing) in a plan, as data.

Every kind of finding has a stable kebab-case code, a severity and an Italian message
template kept here, in one registry that drives the messages, the workbook and the JSON.
Checks return findings; they never raise or print.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_IT = {ERROR: "Errore", WARNING: "Avviso", INFO: "Informazione"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Kind:
    code: str
    severity: str
    title: str
    template: str


_KINDS = [
    # --- table: Rules 1-3 ---
    Kind("peso-errato", ERROR, "Peso diverso dalla strategicità",
         "La strategicità «{category}» vale peso {expected}, ma è scritto {found}."),
    Kind("coeff-errato", ERROR, "Coefficiente diverso dal numero di dipendenti",
         "Con {n_dip} dipendenti il coefficiente è {expected}, ma è scritto {found}."),
    Kind("totale-coeff-errato", ERROR, "Totale coeff. diverso da peso × coefficiente",
         "Peso {peso} × coefficiente {coeff} = {expected}, ma il totale scritto è {found}."),
    Kind("coeff-regola-estesa", WARNING, "Numero di dipendenti non previsto dal regolamento",
         "{n_dip} dipendenti non rientra in nessuna fascia del regolamento: il piano applica "
         "per estensione il coefficiente {expected}. Va confermato."),
    Kind("n-dip-fuori-tabella", ERROR, "Numero di dipendenti fuori dalle fasce",
         "{n_dip} dipendenti non rientra in nessuna fascia della tabella dei coefficienti."),
    Kind("n-dip-non-valido", ERROR, "Numero di dipendenti non valido",
         "Il numero di dipendenti deve essere un intero positivo: trovato {found}."),
    Kind("categoria-mancante", ERROR, "Strategicità mancante",
         "Nessuna categoria di strategicità indicata per l'obiettivo."),
    Kind("categoria-multipla", ERROR, "Più categorie di strategicità",
         "Indicate più categorie di strategicità ({found}): ne serve una sola."),
    Kind("categoria-sconosciuta", ERROR, "Strategicità non riconosciuta",
         "La strategicità «{found}» non è tra quelle dei parametri ({expected})."),
    Kind("valore-mancante", ERROR, "Valore mancante",
         "Manca {field}, necessario per il calcolo."),
    Kind("valore-non-numerico", ERROR, "Valore non numerico",
         "In {field} ci vuole un numero: trovato «{found}»."),
    Kind("errore-formula", ERROR, "Errore di formula nella cella",
         "La cella di {field} contiene l'errore {found}."),
    Kind("colonna-mancante", ERROR, "Colonna della tabella mancante",
         "La tabella degli obiettivi non ha la colonna «{found}»: i controlli che la usano non sono stati fatti."),
    Kind("numero-mancante", ERROR, "Numero dell'obiettivo mancante",
         "La riga non ha il numero dell'obiettivo."),
    Kind("numero-duplicato", ERROR, "Numero dell'obiettivo ripetuto",
         "Il numero {found} compare in più righe ({expected})."),
    Kind("settore-sconosciuto", ERROR, "Settore non riconosciuto",
         "La tipologia «{found}» non corrisponde a nessun settore dei parametri ({expected})."),
    # --- table: Rule 4 ---
    Kind("importo-errato", ERROR, "Importo diverso dal calcolo sui totali scritti",
         "Applicando la ripartizione ai totali scritti l'importo è {expected}, ma è scritto {found}."),
    Kind("importo-da-ricalcolo", INFO, "Importo che cambia correggendo il piano",
         "Ricalcolando pesi e coefficienti secondo le regole l'importo diventa {expected} "
         "(scritto {found})."),
    Kind("importo-fisso-diverso", ERROR, "Importo diverso da quello fissato dalla Giunta",
         "La Giunta ha assegnato {expected}, ma è scritto {found}."),
    Kind("residuo-arrotondamento", WARNING, "Residuo di arrotondamento",
         "Gli importi di «{pool}» arrotondati al centesimo sommano {found} invece di {expected}."),
    Kind("somma-diversa-dal-fondo", ERROR, "Somma degli importi diversa dal fondo",
         "Gli importi scritti sommano {found}, ma il fondo attribuito è {expected}."),
    Kind("somma-fondo-arrotondamento", WARNING, "Il piano non quadra con il fondo per arrotondamenti",
         "Gli importi sommano {found} invece di {expected}: {diff} si perdono negli arrotondamenti."),
    Kind("totale-tabella-errato", ERROR, "Riga di totale errata",
         "Il totale scritto è {found}, ma la somma delle righe è {expected}."),
    Kind("fondo-non-quadra", ERROR, "Ripartizione del fondo che non quadra",
         "{detail}: {found} invece di {expected}."),
    Kind("parametro-predefinito", INFO, "Parametro preso dal regolamento",
         "Il foglio Parametri non indica «{field}»: uso il valore predefinito {expected}."),
    # --- staff text ---
    Kind("personale-diverso-da-n-dip", WARNING, "Personale descritto diverso da N. dip.",
         "Il testo «{text}» indica {found}, ma N. dip. è {expected}."),
    Kind("personale-contato-diversamente", WARNING, "Stesso personale contato in modo diverso",
         "Lo stesso testo del personale «{text}» è contato {found} qui e {expected} "
         "nell'obiettivo {other}."),
    Kind("responsabili-contati-in-modo-diverso", WARNING, "Responsabili contati in modo non uniforme",
         "Il responsabile d'area è contato in N. dip. negli obiettivi {found} ma non negli "
         "obiettivi {expected}."),
    # --- cards (schede) vs table ---
    Kind("scheda-mancante", ERROR, "Obiettivo senza scheda",
         "L'obiettivo {objective} della tabella non ha una scheda."),
    Kind("scheda-senza-obiettivo", ERROR, "Scheda senza obiettivo in tabella",
         "La scheda n. {found} non corrisponde a nessun obiettivo della tabella."),
    Kind("scheda-senza-numero", WARNING, "Scheda senza numero",
         "La scheda «{found}» non riporta il numero; per titolo corrisponde all'obiettivo {expected}."),
    Kind("scheda-settore-diverso", WARNING, "Settore della scheda diverso dalla tabella",
         "La scheda è intestata a «{found}», la tabella la mette in «{expected}»."),
    Kind("scheda-titolo-diverso", WARNING, "Titolo della scheda diverso dalla tabella",
         "Titolo nella scheda: «{found}»; nella tabella: «{expected}»."),
    Kind("scheda-tempi-diversi", WARNING, "Tempi della scheda diversi dalla tabella",
         "Tempi nella scheda: «{found}»; nella tabella: «{expected}»."),
    Kind("scheda-personale-diverso", WARNING, "Personale della scheda diverso dalla tabella",
         "La scheda indica «{text}» ({found}), ma N. dip. in tabella è {expected}."),
    Kind("indicatori-non-100", ERROR, "Percentuali degli indicatori diverse da 100",
         "Le percentuali degli indicatori sommano {found}% invece di {expected}%."),
    Kind("soglia-non-valida", ERROR, "Soglia minima non valida",
         "La soglia minima deve essere tra 0 e 100%: trovato {found}."),
    Kind("soglia-diversa", ERROR, "Soglie diverse nella stessa scheda",
         "La stessa scheda indica soglie diverse: {found}."),
    Kind("schede-assenti", INFO, "Schede non presenti",
         "Il file non ha il foglio delle schede: i controlli tra schede e tabella non sono stati fatti."),
]

KINDS: dict[str, Kind] = {k.code: k for k in _KINDS}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    objective: int | None
    sheet: str
    cell: str
    found: str
    expected: str
    euro_effect: Decimal | None
    message: str

    @property
    def title(self) -> str:
        return KINDS[self.code].title

    def as_dict(self) -> dict:
        d = asdict(self)
        d["euro_effect"] = None if self.euro_effect is None else float(self.euro_effect)
        return d


class _Blank(dict):
    def __missing__(self, key):
        return ""


def make(code: str, *, objective=None, sheet="", cell="", found="", expected="",
         euro_effect: Decimal | None = None, **extra) -> Finding:
    """Build a finding of a registered kind; its message comes from the kind's template."""
    kind = KINDS[code]
    fields = _Blank(objective=objective if objective is not None else "", found=found,
                    expected=expected, **extra)
    return Finding(code=code, severity=kind.severity, objective=objective, sheet=sheet,
                   cell=cell, found=str(found), expected=str(expected),
                   euro_effect=euro_effect, message=kind.template.format_map(fields))


def sort_key(f: Finding):
    return (SEVERITY_ORDER[f.severity], f.objective if f.objective is not None else -1,
            f.sheet, f.cell, f.code)


def counts(findings) -> dict[str, int]:
    out = {ERROR: 0, WARNING: 0, INFO: 0}
    for f in findings:
        out[f.severity] += 1
    return out
