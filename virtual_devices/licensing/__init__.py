"""The Smart Licensing agent of a virtual switch, split by concern (``virtual_devices/DESIGN.md`` maps it).

Never imports ``virtual_devices.device``: the agent sees its switch through :class:`switch.Switch`.
"""
