const querystring = require('querystring');

// Lower-cases and sorts query string names and drops tracking
// parameters, so that equivalent URLs share one cache entry.
function handler(event) {
    const request = event.request;
    const params = {};
    Object.keys(request.querystring).sort().forEach(function (name) {
        const lower = name.toLowerCase();
        if (lower.startsWith('utm_')) {
            return;
        }
        params[lower] = request.querystring[name];
    });
    request.querystring = params;
    request.headers['x-normalized'] = { value: querystring.stringify({ n: Object.keys(params).length }) };
    return request;
}
