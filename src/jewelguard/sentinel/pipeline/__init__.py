"""The detection pipeline: frames and sound in, tracks, sound events and rule hits out.

Pure code with no Django: the sentinel node feeds it live streams, `jewelguard sentinel
analyse` feeds it files, and both get the same answers.
"""
