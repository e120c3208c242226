"""Credentials from the environment and from configuration files."""

from adapters.credentials.config_file import FrogMLConfigFile
from adapters.credentials.environment import EnvironmentSource
from adapters.credentials.jfrog_cli import JfrogCliConfig
from domain.ports.credentials import mask

__all__ = ["EnvironmentSource", "FrogMLConfigFile", "JfrogCliConfig", "mask"]
