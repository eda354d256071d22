"""Sentinel: cameras and microphones, zones and schedules, detection, and live events."""
