"""Multipart upload (protocol page, section 4b): state of the uploads, parts on disk.

Artifactory ≥ 7.90.7 on S3, GCS or Azure storage lets a client send a big file as
parts straight to the object store. The shapes below follow JFrog's own client
(jfrog-client-go, ``artifactory/services/utils/multipartupload.go``):

    GET  /api/v1/uploads/config                        -> 200 {"supported": true, ...}
    POST /api/v1/uploads/create?repoKey=&repoPath=&partSizeMB=   (user's credentials)
                                                       -> 200 {"token": "..."}
    POST /api/v1/uploads/urlPart?partNumber=N          (Bearer <upload token>)
                                                       -> 200 {"url": "<pre-signed PUT URL>"}
    PUT  <pre-signed URL>, no Authorization header     -> 200, ETag "<md5 of the part>"
    POST /api/v1/uploads/complete?sha1=<file sha1>     -> 202
    POST /api/v1/uploads/status                        -> 200 {"status": "PROCESSING"|
            "FINISHED"|"RETRYABLE_ERROR"|"NON_RETRYABLE_ERROR"|"ABORTED",
            "progress": 0..100, "error": "...", "checksumToken": "..."}
    POST /api/v1/uploads/abort                         -> 204
    PUT  /{repo}/{path}, X-Checksum-Deploy: true, X-Checksum-Deploy-Token: <checksumToken>
                                                       -> 201, the file placed

**[ours]**: the limits in the config answer, the object store's URL layout
(``/objectstore/{upload}/{part}`` on the emulator's own host, so that a proxy in front
stays in the path) and its S3-like signed query, the status codes of the failures.

Test hooks (no sleeps needed): :meth:`Uploads.advance` moves the service's clock
(expired URLs and tokens), :meth:`Uploads.corrupt_parts` flips a byte of the next
parts received, :meth:`Uploads.merge_errors` makes the next merges end in
``RETRYABLE_ERROR``, :meth:`Uploads.hold_merges` keeps merges running until released.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .blobs import BlobStore, Upload
from .errors import ApiError
from .upload_merge import PrefixMerge

__all__ = ["ObjectStoreError", "PartReceipt", "Uploads"]

_MIB = 1 << 20


class ObjectStoreError(Exception):
    """An S3-style refusal of the object store (rendered as XML)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PartReceipt:
    number: int
    size: int
    md5: str


@dataclass
class _Part:
    path: Path
    size: int
    md5: str


@dataclass
class _Upload:
    id: str
    token: str
    repo: str
    path: str
    user: str
    part_size: int
    expires: float
    parts: dict[int, _Part] = field(default_factory=dict)
    status: str = "PARTS"  # PARTS, PROCESSING, FINISHED, RETRYABLE_ERROR,
    # NON_RETRYABLE_ERROR, ABORTED, DEPLOYED, EXPIRED
    error: str = ""
    progress: int = 0
    sha1: str = ""
    merged: Upload | None = None
    merge: PrefixMerge | None = None
    checksum_token: str = ""
    deployed_sha256: str = ""

    @property
    def live(self) -> bool:
        return self.status not in ("ABORTED", "DEPLOYED", "EXPIRED")


class Uploads:
    """All multipart uploads of one emulator; thread-safe."""

    def __init__(
        self,
        blobs: BlobStore,
        root: Path,
        *,
        enabled: bool = True,
        min_part_mb: int = 1,
        max_part_mb: int = 5 * 1024,
        max_parts: int = 10_000,
        token_ttl: float = 24 * 3600.0,
        url_ttl: float = 900.0,
    ) -> None:
        self.enabled = enabled
        self.min_part_mb = min_part_mb
        self.max_part_mb = max_part_mb
        self.max_parts = max_parts
        self.token_ttl = token_ttl
        self.url_ttl = url_ttl
        self._blobs = blobs
        self._root = root
        self._secret = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._by_token: dict[str, _Upload] = {}
        self._by_id: dict[str, _Upload] = {}
        self._by_checksum_token: dict[str, _Upload] = {}
        self._skew = 0.0
        self._corrupt = 0
        self._merge_errors = 0
        self._release = threading.Event()
        self._closing = threading.Event()
        self._release.set()
        self._merges: list[threading.Thread] = []
        self._polled = threading.Condition(self._lock)
        self._polls = 0

    # -- test hooks ---------------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        """Move the clock of URLs and tokens forward (expire them without waiting)."""
        with self._lock:
            self._skew += seconds

    def corrupt_parts(self, times: int = 1) -> None:
        """Flip one byte of each of the next `times` parts as they are stored."""
        with self._lock:
            self._corrupt += times

    def merge_errors(self, times: int = 1) -> None:
        """The next `times` merges end in RETRYABLE_ERROR (the client reruns complete)."""
        with self._lock:
            self._merge_errors += times

    def clear_hooks(self) -> None:
        """Forget corruptions and merge errors armed but not used yet."""
        with self._lock:
            self._corrupt = self._merge_errors = 0

    def wait_polled(self, count: int = 1, timeout: float = 60.0) -> bool:
        """Block until `status` was asked `count` times in all; False on timeout."""
        with self._polled:
            return self._polled.wait_for(lambda: self._polls >= count, timeout)

    def hold_merges(self) -> None:
        """Merges wait (status PROCESSING) until `release_merges()`."""
        self._release.clear()

    def release_merges(self) -> None:
        self._release.set()

    def pending(self) -> int:
        """Uploads neither deployed, aborted nor expired."""
        with self._lock:
            return sum(u.live for u in self._by_id.values())

    def parts_on_disk(self) -> int:
        """Part files held in the object store (0 once every upload is settled)."""
        if not self._root.exists():
            return 0
        return sum(1 for _ in self._root.glob("*/part-*"))

    def wait_merges(self, timeout: float = 60.0) -> bool:
        """Block until every merge started so far has ended; False on timeout."""
        deadline = time.monotonic() + timeout
        for thread in list(self._merges):
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._merges)

    def close(self) -> None:
        self._closing.set()
        self._release.set()
        for thread in list(self._merges):
            thread.join()
        with self._lock:
            merges = [u.merge for u in self._by_id.values() if u.merge is not None]
        for merge in merges:
            merge.close()

    # -- the API ------------------------------------------------------------------------
    def now(self) -> float:
        return time.time() + self._skew

    def config(self) -> dict[str, object]:
        return {
            "supported": True,
            "minPartSizeMB": self.min_part_mb,
            "maxPartSizeMB": self.max_part_mb,
            "maxParts": self.max_parts,
        }

    def create(self, repo: str, path: str, part_size_mb: int, user: str) -> str:
        if not self.min_part_mb <= part_size_mb <= self.max_part_mb:
            raise ApiError(
                400,
                f"partSizeMB must be between {self.min_part_mb} and {self.max_part_mb}",
            )
        self._sweep()
        upload = _Upload(
            id=secrets.token_hex(12),
            token=secrets.token_urlsafe(24),
            repo=repo,
            path=path,
            user=user,
            part_size=part_size_mb * _MIB,
            expires=self.now() + self.token_ttl,
        )
        (self._root / upload.id).mkdir(parents=True, exist_ok=True)
        upload.merge = PrefixMerge(self._root / f"{upload.id}.merged")
        with self._lock:
            self._by_token[upload.token] = upload
            self._by_id[upload.id] = upload
        return upload.token

    def _authorized(self, authorization: str | None) -> _Upload:
        scheme, _, token = (authorization or "").strip().partition(" ")
        with self._lock:
            upload = self._by_token.get(token.strip()) if scheme.lower() == "bearer" else None
        if upload is None:
            raise ApiError(401, "Invalid or missing multipart upload token")
        if self.now() > upload.expires:
            self._expire(upload)
        if upload.status == "EXPIRED":
            raise ApiError(401, "The multipart upload token has expired")
        return upload

    def url_part(self, authorization: str | None, number: int, origin: str) -> str:
        upload = self._authorized(authorization)
        if not 1 <= number <= self.max_parts:
            raise ApiError(400, f"partNumber must be between 1 and {self.max_parts}")
        if upload.status != "PARTS":
            raise ApiError(409, f"The multipart upload is {upload.status}, not accepting parts")
        date = int(self.now())
        signature = self._sign(upload.id, number, date, int(self.url_ttl))
        return (
            f"{origin}/objectstore/{upload.id}/{number}"
            f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={date}"
            f"&X-Amz-Expires={int(self.url_ttl)}&X-Amz-Signature={signature}"
        )

    def _sign(self, upload_id: str, number: int, date: int, expires: int) -> str:
        text = f"PUT\n{upload_id}\n{number}\n{date}\n{expires}".encode()
        return hmac.new(self._secret, text, hashlib.sha256).hexdigest()

    def put_part(
        self,
        upload_id: str,
        number_text: str,
        query: dict[str, list[str]],
        *,
        authorization: str | None,
        content_md5: str | None,
        chunks: Iterable[bytes],
    ) -> PartReceipt:
        """Store one part sent to a pre-signed URL (S3's rules and error codes)."""
        if authorization:
            raise ObjectStoreError(
                400,
                "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter "
                "or the Authorization header should be specified",
            )
        first = {name: values[-1] for name, values in query.items() if values}
        try:
            number = int(number_text)
            date = int(first["X-Amz-Date"])
            expires = int(first["X-Amz-Expires"])
            signature = first["X-Amz-Signature"]
        except (KeyError, ValueError):
            raise ObjectStoreError(
                403, "AccessDenied", "Query-string authentication requires a signed URL"
            ) from None
        if not hmac.compare_digest(signature, self._sign(upload_id, number, date, expires)):
            raise ObjectStoreError(
                403, "SignatureDoesNotMatch", "The request signature does not match"
            )
        if self.now() > date + expires:
            raise ObjectStoreError(403, "AccessDenied", "Request has expired")
        with self._lock:
            upload = self._by_id.get(upload_id)
        if upload is None or upload.status != "PARTS":
            raise ObjectStoreError(404, "NoSuchUpload", "The specified upload does not exist")
        with self._lock:
            corrupt = self._corrupt > 0
            self._corrupt -= corrupt
        folder = self._root / upload_id
        digest = hashlib.md5()  # noqa: S324 (S3's ETag, not security)
        size = 0
        try:
            fd, name = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        except FileNotFoundError:  # aborted meanwhile
            raise ObjectStoreError(
                404, "NoSuchUpload", "The specified upload does not exist"
            ) from None
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    if corrupt and size == 0 and chunk:
                        chunk = bytes([chunk[0] ^ 0xFF]) + chunk[1:]  # altered in transit
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        md5 = digest.hexdigest()
        sent_md5 = base64.b64encode(digest.digest()).decode("ascii")
        if content_md5 is not None and content_md5.strip() != sent_md5:
            Path(name).unlink(missing_ok=True)
            raise ObjectStoreError(
                400, "BadDigest", "The Content-MD5 you specified did not match what we received"
            )
        target = folder / f"part-{number}"
        with self._lock:
            if upload.status != "PARTS":
                Path(name).unlink(missing_ok=True)
                raise ObjectStoreError(404, "NoSuchUpload", "The specified upload does not exist")
            os.replace(name, target)
            upload.parts[number] = _Part(path=target, size=size, md5=md5)
            if upload.merge is not None:
                upload.merge.add(number, target)
        return PartReceipt(number=number, size=size, md5=md5)

    def complete(self, authorization: str | None, sha1: str) -> None:
        upload = self._authorized(authorization)
        sha1 = sha1.strip().lower()
        if not sha1:
            raise ApiError(400, "complete requires the sha1 of the whole file")
        with self._lock:
            if upload.status in ("PROCESSING", "FINISHED") and upload.sha1 == sha1:
                return  # a repeated complete: the merge goes on
            if upload.status not in ("PARTS", "RETRYABLE_ERROR"):
                raise ApiError(409, f"The multipart upload is {upload.status}")
            numbers = sorted(upload.parts)
            if not numbers:
                raise ApiError(400, "The multipart upload has no parts")
            missing = [n for n in range(1, numbers[-1] + 1) if n not in upload.parts]
            if missing:
                raise ApiError(400, f"The multipart upload is missing part {missing[0]}")
            short = [n for n in numbers[:-1] if upload.parts[n].size != upload.part_size]
            if short or upload.parts[numbers[-1]].size > upload.part_size:
                bad = short[0] if short else numbers[-1]
                raise ApiError(
                    400,
                    f"Part {bad} has {upload.parts[bad].size} bytes; "
                    f"every part but the last must have {upload.part_size}",
                )
            upload.status, upload.sha1, upload.progress, upload.error = "PROCESSING", sha1, 0, ""
            fail = self._merge_errors > 0
            self._merge_errors -= fail
        thread = threading.Thread(
            target=self._merge, args=(upload, numbers[-1], fail), name="emulator-merge", daemon=True
        )
        self._merges = [t for t in self._merges if t.is_alive()] + [thread]
        thread.start()

    def _merge(self, upload: _Upload, last: int, fail: bool) -> None:
        """Wait for the parts to be joined (see `PrefixMerge`), then check the SHA-1."""
        self._release.wait()
        merge = upload.merge
        assert merge is not None
        status, error = "NON_RETRYABLE_ERROR", ""
        try:
            joined = merge.result(last, self._closing)
        except OSError as exc:
            joined, error = None, f"Merging failed: {exc}"
        if joined is not None:
            blob = joined[1]
            if fail:
                status, error = "RETRYABLE_ERROR", "Injected merge failure"
            elif blob.sha1 != upload.sha1:
                error = f"Checksum mismatch: expected sha1 {upload.sha1}, got {blob.sha1}"
            else:
                status = "FINISHED"
        elif not error:
            return  # aborted, expired or shutting down meanwhile
        with self._lock:
            if upload.status != "PROCESSING":  # aborted (or expired) meanwhile
                return
            if status == "FINISHED" and joined is not None:
                merge.close(keep=True)
                upload.merged = Upload(temp=joined[0], blob=joined[1])
                upload.progress = 100
                upload.checksum_token = secrets.token_urlsafe(24)
                self._by_checksum_token[upload.checksum_token] = upload
            upload.status, upload.error = status, error
        if status == "FINISHED":
            self._drop_parts(upload)
        elif status == "NON_RETRYABLE_ERROR":
            merge.close()

    def status(self, authorization: str | None) -> dict[str, object]:
        upload = self._authorized(authorization)
        with self._lock:
            self._polls += 1
            self._polled.notify_all()
            shown = "FINISHED" if upload.status == "DEPLOYED" else upload.status
            if shown == "PROCESSING" and upload.merge is not None and upload.parts:
                upload.progress = min(99, upload.merge.joined() * 100 // len(upload.parts))
            if shown == "PARTS":
                shown = "QUEUED" if upload.sha1 else "PARTS"
            answer: dict[str, object] = {"status": shown, "progress": upload.progress}
            if upload.error:
                answer["error"] = upload.error
            if upload.checksum_token and shown == "FINISHED":
                answer["checksumToken"] = upload.checksum_token
        return answer

    def abort(self, authorization: str | None) -> None:
        upload = self._authorized(authorization)
        with self._lock:
            if upload.status == "DEPLOYED":
                return  # placed already: nothing left to abort
            merged, upload.merged = upload.merged, None
            upload.status = "ABORTED"
            self._by_checksum_token.pop(upload.checksum_token, None)
        if merged is not None:
            self._blobs.discard(merged)
        self._drop_parts(upload)

    def take_merged(
        self, checksum_token: str, repo: str, path: str
    ) -> tuple[Upload | None, str, str]:
        """For the checksum deploy: (the merged file to place, or None when it was placed
        already by this token (then the SHA-256 to link again), the user)."""
        with self._lock:
            upload = self._by_checksum_token.get(checksum_token.strip())
            if upload is None or upload.status not in ("FINISHED", "DEPLOYED"):
                raise ApiError(404, "Checksum deploy failed. Unknown or expired checksum token")
            if (upload.repo, upload.path) != (repo, path):
                raise ApiError(400, "Checksum deploy failed. The token was issued for another path")
            if upload.status == "DEPLOYED":
                return None, upload.deployed_sha256, upload.user
            merged, upload.merged = upload.merged, None
            assert merged is not None
            upload.status, upload.deployed_sha256 = "DEPLOYED", merged.blob.sha256
            return merged, merged.blob.sha256, upload.user

    def give_back(self, checksum_token: str, merged: Upload) -> None:
        """The deploy failed after `take_merged`: the merged file stays deployable."""
        with self._lock:
            upload = self._by_checksum_token.get(checksum_token.strip())
            if upload is not None and upload.status == "DEPLOYED" and upload.merged is None:
                upload.status, upload.merged, upload.deployed_sha256 = "FINISHED", merged, ""
                return
        self._blobs.discard(merged)

    # -- housekeeping ----------------------------------------------------------------------
    def _expire(self, upload: _Upload) -> None:
        with self._lock:
            if upload.status == "EXPIRED":
                return
            merged, upload.merged = upload.merged, None
            upload.status = "EXPIRED"
            self._by_checksum_token.pop(upload.checksum_token, None)
        if merged is not None:
            self._blobs.discard(merged)
        self._drop_parts(upload)

    def _sweep(self) -> None:
        """Forget uploads whose token expired (their parts and merged files go)."""
        now = self.now()
        with self._lock:
            old = [u for u in self._by_id.values() if now > u.expires]
        for upload in old:
            self._expire(upload)
            with self._lock:
                self._by_id.pop(upload.id, None)
                self._by_token.pop(upload.token, None)
                self._by_checksum_token.pop(upload.checksum_token, None)

    def _drop_parts(self, upload: _Upload) -> None:
        if upload.merge is not None:
            upload.merge.close()  # does nothing once the merged file was kept
        with self._lock:
            upload.parts.clear()
        shutil.rmtree(self._root / upload.id, ignore_errors=True)
