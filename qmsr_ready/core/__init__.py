"""Qt-free core: data model, workspace, services, library, report and exports."""
