// Appends index.html to directory requests and sends /old/* to /new/*,
// as in the CloudFront Functions examples.
function handler(event) {
    var request = event.request;
    var uri = request.uri;
    if (uri.startsWith('/old/')) {
        return {
            statusCode: 301,
            statusDescription: 'Moved Permanently',
            headers: { location: { value: 'https://' + request.headers.host.value + '/new/' + uri.substring(5) } },
        };
    }
    if (uri.endsWith('/')) {
        request.uri += 'index.html';
    } else if (!uri.includes('.')) {
        request.uri += '/index.html';
    }
    request.headers['x-rewritten-by'] = { value: 'cloudfront-function' };
    return request;
}
