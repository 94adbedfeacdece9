@echo off
rem Double-click entry point for the monthly progress on Windows. Every run, in
rem workbooks\monitoraggio: collects the sheets saved in ricevuti\, archives them, writes the month's
rem report in resoconti\, prepares next month's sheets in da_inviare\, opens the folder, waits for a
rem key when double-clicked (set CHIARI_NO_PAUSE=1 to run it unattended). First run: prepares .venv.
rem An optional argument AAAA-MM is the month to prepare the sheets for.
setlocal EnableExtensions EnableDelayedExpansion
rem UTF-8 console, so the Italian messages of this script and of chiari-xl show their accents.
chcp 65001 >nul
set "PYTHONUTF8=1"

rem Double-clicked means cmd was started as "cmd /c ""...\monitoraggio.bat" "": only then wait for a key.
set "INTERACTIVE=0"
echo %CMDCMDLINE% | find /i "%~nx0" >nul && set "INTERACTIVE=1"
if defined CHIARI_NO_PAUSE set "INTERACTIVE=0"

call "%~dp0ambiente.bat"
if errorlevel 1 goto fail
set "FOLDER=%WORKBOOKS%\monitoraggio"

if "%~1"=="" (
    "%VENV%\Scripts\chiari-xl.exe" mese "%FOLDER%"
) else (
    "%VENV%\Scripts\chiari-xl.exe" mese "%FOLDER%" --prepara "%~1"
)
set "STATUS=%ERRORLEVEL%"
if exist "%FOLDER%" start "" explorer "%FOLDER%"
if "%STATUS%"=="1" (
    echo.
    echo Il mese non è completo: vedere sopra le aree che mancano e i fogli rifiutati o in attesa.
)
if "%STATUS%"=="2" (
    echo.
    echo Il monitoraggio non è stato eseguito: vedere il messaggio qui sopra.
)
if "%INTERACTIVE%"=="1" pause
exit /b %STATUS%

:fail
if "%INTERACTIVE%"=="1" pause
exit /b 1
