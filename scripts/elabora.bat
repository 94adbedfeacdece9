@echo off
rem Double-click entry point for the office on Windows.
rem First run: prepares .venv inside the project (ambiente.bat), and on a fresh clone
rem copies the bundled plan workbooks\obiettivi_2025.xlsx into workbooks\in (untracked, ignored by
rem git: the tracked sample is never moved). Every run: checks every plan in workbooks\in, shows
rem the summary, opens workbooks\out, waits for a key when
rem double-clicked (set CHIARI_NO_PAUSE=1 to run it unattended, e.g. from the Task Scheduler).
setlocal EnableExtensions EnableDelayedExpansion
rem UTF-8 console, so the Italian messages of this script and of chiari-xl show their accents.
chcp 65001 >nul
set "PYTHONUTF8=1"

rem Double-clicked means cmd was started as "cmd /c ""...\elabora.bat" "": only then wait for a key.
set "INTERACTIVE=0"
echo %CMDCMDLINE% | find /i "%~nx0" >nul && set "INTERACTIVE=1"
if defined CHIARI_NO_PAUSE set "INTERACTIVE=0"

call "%~dp0ambiente.bat"
if errorlevel 1 goto fail
set "SAMPLE=%WORKBOOKS%\obiettivi_2025.xlsx"

rem A fresh clone (no results yet, nothing in in\): give the main job the bundled 2025 plan to check.
set "EMPTY_IN=1"
if exist "%WORKBOOKS%\in\" for /f %%F in ('dir /b /a "%WORKBOOKS%\in" 2^>nul') do set "EMPTY_IN=0"
if exist "%SAMPLE%" if not exist "%WORKBOOKS%\out\" if "!EMPTY_IN!"=="1" (
    if not exist "%WORKBOOKS%\in\" mkdir "%WORKBOOKS%\in"
    copy /y "%SAMPLE%" "%WORKBOOKS%\in\" >nul && echo Prima esecuzione: copio il piano di esempio «obiettivi_2025.xlsx» nella cartella «in».
)
"%VENV%\Scripts\chiari-xl.exe" elabora "%WORKBOOKS%"
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
