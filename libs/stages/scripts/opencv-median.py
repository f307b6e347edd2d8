"""OpenCV's medianBlur timed for the stage bench (libs/stages/scripts/opencv-median.ts).

usage: /usr/bin/python3 opencv-median.py KERNEL MANIFEST.json
The manifest lists raw 8-bit images: [{"path", "width", "height", "channels"}]. Prints one JSON line,
{"opencv": version, "threads": n} once the images are loaded (or {"error": why} and exits 3 when
cv2 cannot be imported); then, for every line read on stdin, filters all images once and prints the
milliseconds it took. OpenCV runs on one thread, as our median does.
"""
import json
import sys
import time

try:
    import cv2
    import numpy
except ImportError as error:
    print(json.dumps({"error": str(error)}), flush=True)
    sys.exit(3)

kernel = int(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as manifest:
    images = [
        numpy.fromfile(entry["path"], dtype=numpy.uint8).reshape(entry["height"], entry["width"], entry["channels"])
        for entry in json.load(manifest)
    ]
cv2.setNumThreads(1)
print(json.dumps({"opencv": cv2.__version__, "threads": cv2.getNumThreads()}), flush=True)

for _ in sys.stdin:
    started = time.perf_counter()
    for image in images:
        cv2.medianBlur(image, kernel)
    print(f"{(time.perf_counter() - started) * 1000:.3f}", flush=True)
