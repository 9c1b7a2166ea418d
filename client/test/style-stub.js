// Stylesheets are irrelevant to component tests.
module.exports = {};
