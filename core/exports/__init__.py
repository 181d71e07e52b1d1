"""Open-data exports of a partnership's structure: Popolo JSON and CSV, and import back."""
