#!/usr/bin/env python3
"""Packs a root file system as a one-layer image tarball in the `docker save` format, which Jib takes as a base
image (tar://...): manifest.json, the image config and the layer. Used by scripts/image."""
import hashlib
import json
import os
import sys
import tarfile
import tempfile

rootfs, target = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(target)))
layer = os.path.join(work, "layer.tar")
with tarfile.open(layer, "w", format=tarfile.PAX_FORMAT) as tar:
    for name in sorted(os.listdir(rootfs)):
        tar.add(os.path.join(rootfs, name), arcname=name)
digest = hashlib.sha256()
with open(layer, "rb") as f:
    for block in iter(lambda: f.read(1 << 20), b""):
        digest.update(block)
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "WorkingDir": "/",
    },
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + digest.hexdigest()]},
    "history": [{"created_by": "debootstrap bookworm minbase + openjdk-17-jre-headless (scripts/image)"}],
}
config_bytes = json.dumps(config).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
manifest = [{"Config": config_name, "RepoTags": ["passerelle-base:bookworm"], "Layers": ["layer.tar"]}]
with tarfile.open(target, "w") as out:
    out.add(layer, arcname="layer.tar")
    for name, data in ((config_name, config_bytes), ("manifest.json", json.dumps(manifest).encode())):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        import io
        out.addfile(info, io.BytesIO(data))
os.remove(layer)
os.rmdir(work)
