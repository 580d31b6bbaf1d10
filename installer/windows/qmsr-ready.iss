; Inno Setup script for QMSR Ready on Windows (Inno Setup 6).
;
; Wraps the PyInstaller one-folder build. From the repository root, after
;     pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\qmsr-ready.spec
; run
;     iscc /DAppVersion=0.1.0 installer\windows\qmsr-ready.iss
; The installer lands in dist\installer\. See installer\README.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "QMSR Ready"
#define AppExe "qmsr-ready.exe"
#define AppGuiExe "qmsr-ready-gui.exe"
#define BuildDir "..\..\dist\qmsr-ready"

[Setup]
; Keep this AppId for every release: Windows uses it to recognise upgrades.
AppId={{6F1C2B9E-4D3A-4B8E-9C51-2A7E0D3F8B14}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=QMSR Ready
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install by default (no administrator rights needed); the user may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=qmsr-ready-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppGuiExe}
ChangesAssociations=yes
; Adds {app} to PATH (below) so "qmsr-ready verify" works in a terminal.
ChangesEnvironment=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add qmsr-ready to PATH for command-line use"; Flags: unchecked

[Files]
; The whole one-folder build: both executables and _internal\ (Python, Qt, resources, migrations).
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppGuiExe}"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppGuiExe}"; Tasks: desktopicon

[Registry]
; .qmsr workspace files open in QMSR Ready (per-user or machine-wide, following the install mode).
Root: HKA; Subkey: "Software\Classes\.qmsr"; ValueType: string; ValueName: ""; ValueData: "QMSRReady.Workspace"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\QMSRReady.Workspace"; ValueType: string; ValueName: ""; ValueData: "QMSR Ready workspace"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\QMSRReady.Workspace\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppGuiExe},0"
Root: HKA; Subkey: "Software\Classes\QMSRReady.Workspace\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppGuiExe}"" gui ""%1"""
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\{#AppGuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;
