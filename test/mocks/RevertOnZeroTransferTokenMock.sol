// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Reverts on a transfer of zero (as LEND and some others do).
contract RevertOnZeroTransferTokenMock is ERC20 {
    error ZeroTransfer();

    constructor() ERC20("Revert On Zero", "ROZ") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (value == 0) revert ZeroTransfer();
        super._update(from, to, value);
    }
}
