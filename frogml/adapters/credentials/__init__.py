"""Credentials from the environment and from configuration files."""

from frogml.adapters.credentials.config_file import FrogMLConfigFile
from frogml.adapters.credentials.environment import EnvironmentSource
from frogml.adapters.credentials.jfrog_cli import JfrogCliConfig
from frogml.domain.ports.credentials import mask

__all__ = ["EnvironmentSource", "FrogMLConfigFile", "JfrogCliConfig", "mask"]
