#!/usr/bin/python3
# Signs random S3 requests with botocore (the copy Debian's awscli vendors) and prints one
# JSON object per request: what was signed and botocore's Authorization header.
# sigv4_botocore_test.cpp compares volback's SigV4 with these.
#   usage: sigv4_botocore.py COUNT SEED
import json
import random
import sys

import awscli  # noqa: F401  Debian's awscli v2 vendors botocore and makes it importable
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from urllib.parse import quote

count, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
KEY_CHARS = 'abcXYZ0189-_.~/ +=&?%$!@#:;,()[]' + 'äé'


def rand(chars, lo, hi):
    return ''.join(rng.choice(chars) for _ in range(rng.randint(lo, hi)))


for _ in range(count):
    method = rng.choice(['GET', 'PUT', 'POST', 'DELETE', 'HEAD'])
    bucket = rand('abcdefghijklmnopqrstuvwxyz0123456789-', 3, 20)
    key = rand(KEY_CHARS, 0, 40).lstrip('/')
    host = rng.choice(['127.0.0.1:4570', 's3.amazonaws.com', 'fsn1.your-objectstorage.com'])
    path = '/' + bucket + ('/' + quote(key, safe='/~') if key else '')
    params = {}
    for _ in range(rng.randint(0, 4)):
        params[rand('abcdefXYZ-_.', 1, 12)] = rand(KEY_CHARS, 0, 20)
    headers = {}
    for _ in range(rng.randint(0, 4)):
        headers['x-amz-meta-' + rand('abcdefxyz', 1, 8)] = rand('abc XYZ  012\t;:,.=', 1, 30)
    if rng.random() < 0.3:
        headers['Content-Type'] = rng.choice(['application/gzip', 'application/xml', 'text/plain'])
    body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64)))
    access = rand('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:', 5, 20)
    secret = rand('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+', 10, 40)
    region = rng.choice(['us-east-1', 'eu-central-1', 'fsn1', 'ap-southeast-2'])
    request = AWSRequest(method=method, url='http://' + host + path, data=body, params=params, headers=headers)
    S3SigV4Auth(Credentials(access, secret), 's3', region).add_auth(request)
    signed = [[k, v] for k, v in request.headers.items() if k.lower() != 'authorization']
    print(json.dumps({
        'method': method, 'bucket': bucket, 'key': key, 'host': host, 'path': path,
        'params': [[k, v] for k, v in params.items()], 'headers': signed, 'body_hex': body.hex(),
        'access': access, 'secret': secret, 'region': region,
        'authorization': request.headers['Authorization'],
    }))
