// A contract line of the worked examples (a carton of Doc 2), shared by the suites.
export const LINE = {
	product: 'Corrugated box',
	specification: '600x400x300',
	material: 'K=A',
	marks: 'LOGO',
	process: 'flexo',
	quantity: 1000,
	unit: 'pcs',
	unit_price: 10,
	delivery_date: '2027-01-15',
};
