"""Code written for JFrog's client, run on frogml unchanged."""
