"""The comp admin workspace (`/workspace/`): plans, data imports, calculation runs, results and period close in the
browser, each page calling the same services the CLI calls."""
