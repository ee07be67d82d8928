"""The async Cloud 66 API service layer: no Textual here."""
