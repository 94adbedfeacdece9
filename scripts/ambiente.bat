@echo off
rem Shared by the double-click scripts (run with CALL, never on its own): the Python environment.
rem Sets PROJECT, VENV, WORKBOOKS; first run (or after setup.cfg changed): creates .venv inside the
rem project and installs chiari-xl into it. Exit code 1 with an Italian message when it cannot.
set "PROJECT=%~dp0.."
for %%I in ("%PROJECT%") do set "PROJECT=%%~fI"
set "VENV=%PROJECT%\.venv"
set "STAMP=%VENV%\chiari-xl-installato.txt"
set "WORKBOOKS=%PROJECT%\workbooks"

if not exist "%VENV%\Scripts\chiari-xl.exe" goto setup
fc /b "%PROJECT%\setup.cfg" "%STAMP%" >nul 2>&1 || goto setup
exit /b 0

:setup
set "PY="
rem The "py" launcher comes with the python.org installer; "python" may be the Microsoft Store
rem alias, which only opens the Store: the version check below rejects it.
for %%C in ("py -3.14" "py -3.13" "py -3.12" "py -3.11" "py -3" "python") do (
    if not defined PY (
        %%~C -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" >nul 2>&1 && set "PY=%%~C"
    )
)
if not defined PY (
    echo.
    echo ERRORE: Python 3.11 o successivo non è installato ^(oppure è troppo vecchio^).
    echo Installarlo da https://www.python.org/downloads/windows/
    echo spuntando «Add python.exe to PATH» durante l'installazione, poi rieseguire questo file.
    exit /b 1
)
echo Prima esecuzione: preparo l'ambiente in "%VENV%" ^(qualche minuto, serve Internet^)...
%PY% -m venv --clear "%VENV%"
if errorlevel 1 (
    echo ERRORE: impossibile creare l'ambiente Python in "%VENV%".
    exit /b 1
)
"%VENV%\Scripts\python.exe" -m pip install --disable-pip-version-check -q -e "%PROJECT%"
if errorlevel 1 (
    echo ERRORE: installazione di chiari-xl non riuscita ^(vedere i messaggi sopra^).
    echo Controllare la connessione a Internet e rieseguire.
    exit /b 1
)
copy /y "%PROJECT%\setup.cfg" "%STAMP%" >nul
echo Ambiente pronto.
exit /b 0
