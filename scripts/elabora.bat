@echo off
rem Double-click entry point for the office on Windows.
rem First run: creates .venv inside the project and installs chiari-xl into it, and on a fresh clone
rem copies the bundled plan workbooks\obiettivi_2025.xlsx into workbooks\in (untracked, ignored by
rem git: the tracked sample is never moved). Every run: checks every plan in workbooks\in, shows
rem the summary, opens workbooks\out, waits for a key when
rem double-clicked (set CHIARI_NO_PAUSE=1 to run it unattended, e.g. from the Task Scheduler).
setlocal EnableExtensions EnableDelayedExpansion
rem UTF-8 console, so the Italian messages of this script and of chiari-xl show their accents.
chcp 65001 >nul
set "PYTHONUTF8=1"

set "PROJECT=%~dp0.."
for %%I in ("%PROJECT%") do set "PROJECT=%%~fI"
set "VENV=%PROJECT%\.venv"
set "STAMP=%VENV%\chiari-xl-installato.txt"
set "WORKBOOKS=%PROJECT%\workbooks"
set "SAMPLE=%WORKBOOKS%\obiettivi_2025.xlsx"

rem Double-clicked means cmd was started as "cmd /c ""...\elabora.bat" "": only then wait for a key.
set "INTERACTIVE=0"
echo %CMDCMDLINE% | find /i "%~nx0" >nul && set "INTERACTIVE=1"
if defined CHIARI_NO_PAUSE set "INTERACTIVE=0"

if not exist "%VENV%\Scripts\chiari-xl.exe" goto setup
fc /b "%PROJECT%\setup.cfg" "%STAMP%" >nul 2>&1 || goto setup
goto run

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
    goto fail
)
echo Prima esecuzione: preparo l'ambiente in "%VENV%" ^(qualche minuto, serve Internet^)...
%PY% -m venv --clear "%VENV%"
if errorlevel 1 (
    echo ERRORE: impossibile creare l'ambiente Python in "%VENV%".
    goto fail
)
"%VENV%\Scripts\python.exe" -m pip install --disable-pip-version-check -q -e "%PROJECT%"
if errorlevel 1 (
    echo ERRORE: installazione di chiari-xl non riuscita ^(vedere i messaggi sopra^).
    echo Controllare la connessione a Internet e rieseguire.
    goto fail
)
copy /y "%PROJECT%\setup.cfg" "%STAMP%" >nul
echo Ambiente pronto.

:run
rem A fresh clone (no results yet, nothing in in\): give the main job the bundled 2025 plan to check.
set "EMPTY_IN=1"
if exist "%WORKBOOKS%\in\" for /f %%F in ('dir /b /a "%WORKBOOKS%\in" 2^>nul') do set "EMPTY_IN=0"
if exist "%SAMPLE%" if not exist "%WORKBOOKS%\out\" if "!EMPTY_IN!"=="1" (
    if not exist "%WORKBOOKS%\in\" mkdir "%WORKBOOKS%\in"
    copy /y "%SAMPLE%" "%WORKBOOKS%\in\" >nul && echo Prima esecuzione: copio il piano di esempio «obiettivi_2025.xlsx» nella cartella «in».
)
"%VENV%\Scripts\chiari-xl.exe" batch "%WORKBOOKS%"
set "STATUS=%ERRORLEVEL%"
if exist "%WORKBOOKS%\out" start "" explorer "%WORKBOOKS%\out"
if not "%STATUS%"=="0" (
    echo.
    echo Alcuni file non sono stati controllati: vedere il riepilogo qui sopra.
)
if "%INTERACTIVE%"=="1" pause
exit /b %STATUS%

:fail
if "%INTERACTIVE%"=="1" pause
exit /b 1
