"""The host service's in-memory order repository."""

from __future__ import annotations

from domain.model import Order

MARKER = "host-service-adapters"


class InMemoryOrders:
    """Orders kept in a list, in the order they were added."""

    def __init__(self) -> None:
        self._orders: list[Order] = []

    def add(self, order: Order) -> None:
        self._orders.append(order)

    def all(self) -> list[Order]:
        return list(self._orders)
