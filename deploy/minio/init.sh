#!/bin/sh
# One-shot job of deploy/docker-compose.yml: the bucket the API stores avatars and photos in, and an access key for
# the API that can touch that bucket only (the root credentials stay with MinIO). Safe to run again.
set -eu
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "local/$S3_BUCKET"
mc admin policy create local youngchat-app /init/youngchat-policy.json
mc admin user add local "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"
# Attaching an already attached policy is an error; the state wanted is there either way.
mc admin policy attach local youngchat-app --user "$S3_ACCESS_KEY_ID" || true
echo "bucket $S3_BUCKET ready"
