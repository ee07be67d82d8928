"""The ASGI emulator of the Cloud 66 API v2 and its OAuth endpoints."""
