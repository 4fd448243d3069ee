"""Floor 1: settings (with the warehouse layout), database, dbt project access, inbox files, formatting."""
