import crypto from 'crypto';
import cf from 'cloudfront';

// Validates an HS256 JWT whose key is in the KeyValueStore, and passes
// the subject to the origin.
const kvs = cf.kvs();

function deny(reason) {
    return {
        statusCode: 401,
        statusDescription: 'Unauthorized',
        headers: { 'www-authenticate': { value: 'Bearer error="' + reason + '"' } },
    };
}

async function handler(event) {
    const request = event.request;
    const auth = request.headers.authorization;
    if (!auth || !auth.value.startsWith('Bearer ')) {
        return deny('missing');
    }
    const parts = auth.value.substring(7).split('.');
    if (parts.length !== 3) {
        return deny('malformed');
    }
    const key = await kvs.get('jwt-key');
    const expected = crypto.createHmac('sha256', key).update(parts[0] + '.' + parts[1]).digest('base64url');
    if (expected !== parts[2]) {
        return deny('signature');
    }
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!claims.exp || claims.exp * 1000 < Date.now()) {
        return deny('expired');
    }
    delete request.headers.authorization;
    request.headers['x-user'] = { value: claims.sub };
    console.log('allowed ' + claims.sub);
    return request;
}
