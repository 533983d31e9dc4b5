# The module manifest. ModuleVersion below is the project's one version number: the build reads
# it from here for every assembly (Directory.Build.props) and copies this file into out/KlingPS.
@{
    RootModule           = 'KlingPS.dll'
    ModuleVersion        = '0.2.0'
    GUID                 = '5f8f2b7e-3c1d-4f7a-9a4e-2d6b8c1e7f30'
    Author               = 'KlingPS contributors'
    CompanyName          = 'KlingPS'
    Copyright            = '(c) KlingPS contributors. MIT License.'
    Description          = 'Kling image-to-video generation (through CometAPI) in the PowerShell pipeline: submit, wait, download, with retries, validation and resumable batches.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('KlingPS.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Kling', 'Disconnect-Kling', 'Get-KlingContext',
        'New-KlingImageVideo', 'New-KlingMultiImageVideo', 'New-KlingDynamicMask',
        'Get-KlingTask', 'Wait-KlingTask', 'Save-KlingVideo', 'ConvertFrom-KlingCallback'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Kling', 'CometAPI', 'Video', 'AI', 'ImageToVideo', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/klingps/KlingPS/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/klingps/KlingPS'
            ReleaseNotes = 'See README.md, section Release notes.'
        }
    }
}
