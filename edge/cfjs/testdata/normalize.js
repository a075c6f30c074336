const querystring = require('querystring');

// Lower-cases and sorts query string names and drops tracking
// parameters, so that equivalent URLs share one cache entry. CloudFront
// writes the query string in the object's key order.
function handler(event) {
    const request = event.request;
    const lowered = {};
    Object.keys(request.querystring).forEach(function (name) {
        const lower = name.toLowerCase();
        if (!lower.startsWith('utm_')) {
            lowered[lower] = request.querystring[name];
        }
    });
    const params = {};
    Object.keys(lowered).sort().forEach(function (name) {
        params[name] = lowered[name];
    });
    request.querystring = params;
    request.headers['x-normalized'] = { value: querystring.stringify({ n: Object.keys(params).length }) };
    return request;
}
